// Small enhancements of the application pages; every page works without them.
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // The register form shows the receipt-date field each channel needs (第三十一条).
    var form = document.querySelector("[data-register-form]");
    var channel = form && form.querySelector("select[name=channel]");
    if (channel) {
      var update = function () {
        var value = channel.value;
        form.querySelectorAll("[data-channels]").forEach(function (el) {
          var input = el.querySelector("input");
          var show = !value || el.getAttribute("data-channels").split(" ").indexOf(value) >= 0;
          // A field with an error or a value stays in view, so nothing typed disappears.
          if (el.classList.contains("has-error") || (input && input.value)) show = true;
          el.hidden = !show;
        });
      };
      channel.addEventListener("change", update);
      update();
    }
    // A form that files something (a letter) is sent once; the server refuses a repeat anyway (views.letter_create).
    document.querySelectorAll("form[data-submit-once]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        if (f.getAttribute("data-submitted")) { event.preventDefault(); return; }
        f.setAttribute("data-submitted", "1");
        var button = f.querySelector("button[type=submit]");
        if (button) { button.setAttribute("aria-disabled", "true"); button.classList.add("busy"); }
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;  // back to a page kept in memory: its forms may be sent again
      document.querySelectorAll("form[data-submitted]").forEach(function (f) {
        f.removeAttribute("data-submitted");
        var button = f.querySelector("button[aria-disabled]");
        if (button) { button.removeAttribute("aria-disabled"); button.classList.remove("busy"); }
      });
    });
    // Deleting something (恢复默认) asks first.
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (event) {
        if (!window.confirm(f.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    // After a failed submission, move focus to the summary of errors or to the action that failed.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); return; }
    var failed = document.querySelector("[data-focus-action]");
    if (failed) {
      failed.open = true;
      var target = failed.querySelector("[role=alert], [aria-invalid=true]") || failed.querySelector("summary");
      target.scrollIntoView({block: "center"});
      target.focus();
    }
  });
})();
