/*
 * Small progressive enhancements for every page (the pages work fully without it).
 * - Moves focus to the error summary on page load, so screen reader users hear the errors first
 *   (GOV.UK pattern); the links in the summary focus the field they point to.
 * - Shows a follow-up question (ui.conditional) as soon as the answer that asks for it is chosen,
 *   and hides it again when the answer changes. Without this script the server shows it on
 *   the next page load.
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

  // The answers of the question `name` as the conditions compare them: the chosen values, or
  // for a single yes/no checkbox (a condition of true/false) whether it is ticked.
  function answersOf(form, name, byTick) {
    var answers = [];
    Array.prototype.forEach.call(form.querySelectorAll("input, select"), function (control) {
      if (control.name !== name) return;
      if (control.type === "checkbox" && byTick) answers.push(control.checked);
      else if (control.type === "checkbox" || control.type === "radio") {
        if (control.checked) answers.push(control.value);
      } else answers.push(control.value);
    });
    return answers;
  }

  function followUpQuestions() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-show-when]"), function (region) {
      var form = region.closest("form");
      if (!form) return;
      var name = region.getAttribute("data-show-when");
      var values = JSON.parse(region.getAttribute("data-show-values"));
      var byTick = values.some(function (value) { return typeof value === "boolean"; });
      var seen = region.querySelector("[data-seen]");
      function update() {
        var show = answersOf(form, name, byTick).some(function (answer) {
          return values.indexOf(answer) !== -1;
        });
        region.hidden = !show;
        if (seen) seen.disabled = !show;   // posted only while shown: the resident saw it
      }
      form.addEventListener("change", function (event) {
        if (event.target.name === name) update();
      });
      update();
    });
  }

  function enhance() {
    followUpQuestions();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
