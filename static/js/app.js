// Small behaviours of every page (no external service; loaded by base.html).
(function () {
  "use strict";

  function randomKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }

  // One rendering of a form saves once (issue 16.4): its key is made once, here. On Back the
  // browser restores the field as it restores typed text, so the old key goes again and the
  // server refuses the second save.
  function fillKeys() {
    document.querySelectorAll("input[data-form-key]").forEach(function (input) {
      if (input.value === input.defaultValue) input.value = randomKey();
    });
  }

  // A long form warns before the page is left with text not yet sent.
  function guardLongForms() {
    document.querySelectorAll("form[method=post], form[method=POST]").forEach(function (form) {
      if (!form.querySelector("textarea")) return;
      var dirty = false;
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) { event.preventDefault(); event.returnValue = ""; }
      });
    });
  }

  // After a failed submit the error summary takes the focus (a screen reader reads it first), and
  // its links put the cursor in the field, not only scroll to it (issue 20.1).
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
        field.focus({preventScroll: true});
      });
    });
  }

  function ready() { fillKeys(); guardLongForms(); focusErrorSummary(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  // A page restored from the back-forward cache keeps its state and its key: nothing to do.
})();
