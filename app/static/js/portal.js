/*
 * Small progressive enhancements for every page (the pages work fully without it).
 * - Moves focus to the error summary on page load, so screen reader users hear the errors first
 *   (GOV.UK pattern); the links in the summary focus the field they point to.
 * No inline handlers: the CSP forbids inline script.
 */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      // Show the label/legend above the input too, then focus the input itself.
      var container = target.closest("fieldset") || target.closest(".utrecht-form-field") || target;
      container.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
