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
