// The sidebar buttons (☰ at the top left, "On this page" at the top right) work on every screen width.
// Each page has two .primary-toggle and two .secondary-toggle buttons: the pydata theme's, hidden in
// the book theme, and the book theme's visible ones. Both themes' scripts bind only the first of each
// (document.querySelector), i.e. the hidden one (pydata-sphinx-theme #2451, sphinx-book-theme #988).
// A click on any other copy is handed to that first button, so the themes' own code opens the
// navigation dialog on a phone and collapses the sidebar on a wide screen.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const selector of [".primary-toggle", ".secondary-toggle"]) {
    const [bound, ...others] = document.querySelectorAll(selector);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        const open = document.querySelector("dialog[open]");  // a theme that binds every copy opened it already
        if (!open) bound.click();
      }, true);
    }
  }
});
