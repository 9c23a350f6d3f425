// The Jalali date picker (vendor/jalalidatepicker, loaded just before this file) on every
// input marked data-jdp in the back office: desk.widgets.JalaliDateInput, the case lists' date
// range filter, the survey results' period. Progressive enhancement: without JavaScript, or
// with it, the date can be typed, in any digits; the server reads it (desk.jalali).
(function () {
  "use strict";
  if (!window.jalaliDatepicker) return;

  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";
  var ARABIC = "٠١٢٣٤٥٦٧٨٩";
  var INPUT = "input[data-jdp]";
  var current = null; // the date input the picker was last opened on

  function latinDigits(text) {
    return text.replace(/[۰-۹٠-٩]/g, function (digit) {
      var index = PERSIAN.indexOf(digit);
      return String(index >= 0 ? index : ARABIC.indexOf(digit));
    });
  }

  function persianDigits(text) {
    return text.replace(/[0-9]/g, function (digit) { return PERSIAN[digit]; });
  }

  function rewrite(input, convert) {
    var value = convert(input.value);
    // Only when it differs: writing the value moves the caret to its end.
    if (value !== input.value) input.value = value;
  }

  function isDateInput(element) {
    return element instanceof HTMLInputElement && element.matches(INPUT);
  }

  function inPicker(element) {
    return element instanceof Element && element.closest("jdp-container") !== null;
  }

  // The picker reads the input's date when it opens (focus) and on every redraw (a click or a
  // choice on the calendar: another month, another year), and reads only Latin digits, while
  // our pages write dates in Persian ones. So the value is Latin for exactly that moment: the
  // capturing listener runs before the picker's own (on the body, on its buttons), the bubbling
  // one after them, and nothing is painted in between: staff never see the Latin digits. (The
  // bubbling one cannot ask where the click was: a redraw has taken the button out of the page.)
  var latinNow = false;

  function readByThePicker(event) {
    if (event.type === "focusin") return isDateInput(event.target);
    return current !== null && inPicker(event.target);
  }

  function latinWhileThePickerReads(event) {
    if (event.type === "focusin" && isDateInput(event.target)) current = event.target;
    if (readByThePicker(event)) {
      rewrite(current, latinDigits);
      latinNow = true;
    }
  }

  function persianAgain() {
    if (latinNow) {
      latinNow = false;
      rewrite(current, persianDigits);
    }
  }

  ["focusin", "click", "change"].forEach(function (type) {
    document.addEventListener(type, latinWhileThePickerReads, true);
    document.addEventListener(type, persianAgain);
  });

  // What the picker writes (Latin digits), in the digits of the rest of the page.
  document.addEventListener("jdp:change", function (event) {
    if (isDateInput(event.target)) rewrite(event.target, persianDigits);
  });

  // The picker opens when a date input gets the focus. The admin focuses an add page's first
  // field before this deferred script runs, so a click on an input that already has the focus
  // opens the calendar too when it is closed.
  function pickerOpen() {
    var box = document.querySelector("jdp-container");
    return box !== null && box.style.display === "block";
  }

  document.addEventListener("click", function (event) {
    if (!isDateInput(event.target) || pickerOpen()) return;
    current = event.target;
    rewrite(current, latinDigits);
    window.jalaliDatepicker.show(current);
    rewrite(current, persianDigits);
  });

  // Tabbing on to another field closes the calendar (the picker closes only on a click
  // elsewhere or Escape). A click on the calendar's own days moves the focus nowhere
  // (relatedTarget is null) and must not close it before the click lands.
  document.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (isDateInput(event.target) && next && !inPicker(next) && !isDateInput(next)) {
      window.jalaliDatepicker.hide();
    }
  });

  window.jalaliDatepicker.startWatch({
    selector: INPUT,
    date: true,
    time: false,
    persianDigits: true,
    separatorChars: { date: "/" },
    autoHide: true,
    hideAfterChange: true,
    // The date stays typeable on every device (the package makes it read-only on phones).
    autoReadOnlyInput: false,
  });
})();
