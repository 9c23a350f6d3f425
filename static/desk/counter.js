// A live character counter under every textarea marked data-counter (desk/cases/forms.py,
// CountedTextarea): «۱۲۳ از ۵۰۰۰ نویسه». The browser stops typing and pasting at maxlength
// without a word, so reaching the limit is also said aloud (aria-live polite). Without
// JavaScript the field's help text states the limit. Loaded with defer: the page is parsed.
(function () {
  "use strict";

  var numbers = new Intl.NumberFormat(document.documentElement.lang || "fa", {
    useGrouping: false,
  });

  function fill(template, count, limit) {
    return template
      .replace("{count}", numbers.format(count))
      .replace("{limit}", numbers.format(limit));
  }

  function attach(field) {
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("div");
    counter.className = "form-text text-counter";
    counter.id = field.id + "-counter";
    var count = document.createElement("span");
    // Created empty, so that screen readers announce the message when it appears.
    var full = document.createElement("span");
    full.setAttribute("aria-live", "polite");
    counter.append(count, " ", full);
    field.after(counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      // The browser's own count (maxlength): a line break is one character.
      var length = field.value.length;
      var reached = length >= limit;
      count.textContent = fill(field.dataset.counter, length, limit);
      full.textContent = reached ? fill(field.dataset.counterFull, length, limit) : "";
      counter.classList.toggle("text-danger", reached);
    }

    field.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-counter]").forEach(attach);
})();
