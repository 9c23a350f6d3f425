// Copy and print buttons of the confirmation page. Progressive enhancement: the buttons are
// hidden in the HTML and shown only here, so without JavaScript the code stays selectable
// text and the browser's own print command works.
(function () {
  "use strict";

  function copyCode(button) {
    var code = button.getAttribute("data-copy-code");
    var original = button.textContent;
    navigator.clipboard.writeText(code).then(function () {
      button.textContent = button.getAttribute("data-copied-label");
      setTimeout(function () { button.textContent = original; }, 2000);
    });
  }

  document.querySelectorAll("[data-copy-code]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () { copyCode(button); });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
