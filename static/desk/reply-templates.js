// Reply templates on a case's page. Without JavaScript a template's link reloads the page with
// the template in its form; with it, the template's text is put into the form at once and
// nothing typed anywhere on the page is lost: added after what the clerk already wrote.
(function () {
  "use strict";
  document.querySelectorAll("[data-reply-text][data-reply-target]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("data-reply-target"));
      if (!field) return;
      event.preventDefault();
      var text = link.getAttribute("data-reply-text");
      var typed = field.value.replace(/\s+$/, "");
      field.value = typed ? typed + "\n\n" + text : text;
      field.focus();
      link.parentNode.querySelectorAll("a").forEach(function (other) {
        other.classList.toggle("picked", other === link);
      });
    });
  });
})();
