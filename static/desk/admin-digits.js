// What the admin's own scripts write with numbers ("2 of 5 selected" above a list, once boxes
// are ticked) in the reader's digits, as the server writes every other number. Those scripts
// build such text with Django's `interpolate` (the JavaScript catalogue, loaded before this
// deferred script runs): its result gets Persian digits on a Persian page.
(function () {
  "use strict";
  const original = window.interpolate;
  if (document.documentElement.lang !== "fa" || typeof original !== "function") {
    return;
  }
  const persian = "۰۱۲۳۴۵۶۷۸۹";
  window.interpolate = function (format, values, named) {
    return original(format, values, named).replace(/[0-9]/g, (digit) => persian[digit]);
  };
})();
