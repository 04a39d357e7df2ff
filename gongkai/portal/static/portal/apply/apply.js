// Small enhancements of the public application pages; every page works without them (and without inline script,
// which the Content-Security-Policy forbids).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // The organisation's name and legal representative are asked only of legal persons and other organisations.
    var form = document.querySelector("[data-apply-form]");
    var orgOnly = form && form.querySelector("[data-organisation-only]");
    if (orgOnly) {
      var update = function () {
        var checked = form.querySelector("input[name=applicant_type]:checked");
        var show = checked && checked.value !== "natural_person";
        // A field with an error or a value stays in view, so nothing typed disappears.
        orgOnly.querySelectorAll(".field").forEach(function (el) {
          var input = el.querySelector("input");
          if (el.classList.contains("has-error") || (input && input.value)) show = true;
        });
        orgOnly.hidden = !show;
      };
      form.querySelectorAll("input[name=applicant_type]").forEach(function (r) { r.addEventListener("change", update); });
      update();
    }
    // A form is sent once; the server creates one application per form anyway (its submission key).
    document.querySelectorAll("form[data-submit-once]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        if (f.getAttribute("data-submitted")) { event.preventDefault(); return; }
        f.setAttribute("data-submitted", "1");
        var button = f.querySelector("button[type=submit]");
        if (button) { button.setAttribute("aria-disabled", "true"); button.classList.add("busy"); }
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      document.querySelectorAll("form[data-submitted]").forEach(function (f) {
        f.removeAttribute("data-submitted");
        var button = f.querySelector("button[aria-disabled]");
        if (button) { button.removeAttribute("aria-disabled"); button.classList.remove("busy"); }
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    // After a failed submission, move focus to the summary of errors.
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
