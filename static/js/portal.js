// The portal's only script, loaded with `defer` on every public page. Every page works without it.
"use strict";

// On a phone the navigation is one row that scrolls sideways: bring the current page's link into
// it. Only the row scrolls (scrollIntoView would also move the page, e.g. after "back").
const currentLink = document.querySelector(".site-nav__list [aria-current='page']");
if (currentLink) {
  const row = currentLink.closest(".site-nav__list").getBoundingClientRect();
  const link = currentLink.getBoundingClientRect();
  if (link.left < row.left || link.right > row.right) {
    currentLink.closest(".site-nav__list").scrollBy({
      left: link.left + link.width / 2 - (row.left + row.width / 2),
    });
  }
}

// After a failed submit the page comes back with an error summary (templates/desk/
// _error_summary.html): move the focus to it, so that a screen reader reads the errors at once
// and a keyboard user starts from their links.
document.querySelector("[data-error-summary]")?.focus();
