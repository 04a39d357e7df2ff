// Larger-font mode (适老化): remembered per browser, applied before first paint where possible.
(function () {
  var KEY = "gongkai-large-font";
  var root = document.documentElement;
  function apply(on) {
    root.classList.toggle("large-font", on);
    document.querySelectorAll("[data-font-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "标准字号" : "大字模式";
    });
  }
  var on = false;
  try { on = localStorage.getItem(KEY) === "1"; } catch (e) {}
  document.addEventListener("DOMContentLoaded", function () {
    apply(on);
    document.querySelectorAll("[data-font-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        on = !on;
        try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) {}
        apply(on);
      });
    });
  });
})();

// A <select data-navigate="/path/0/"> goes to the path with its value in place of the 0.
document.addEventListener("change", function (e) {
  var t = e.target;
  if (t.matches && t.matches("select[data-navigate]")) {
    location.href = t.getAttribute("data-navigate").replace("/0/", "/" + encodeURIComponent(t.value) + "/");
  }
});
