// Small enhancements of the item pages (主动公开); every page works without them.
// - the 正文 textarea becomes a Quill editor (vendor/quill), written back to the textarea as HTML;
// - the 内容概述 shows how many of its 100 characters are used;
// - after a failed submission, focus goes to the summary of errors or to the action that failed.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  // Markup the editor cannot represent: such a body is edited as HTML, so nothing is lost on saving.
  var UNSUPPORTED = /<(table|img|hr|iframe|video)\b/i;

  var TOOLBAR =
    '<span class="ql-formats">' +
    '<select class="ql-header"><option value="2">一级标题</option><option value="3">二级标题</option>' +
    '<option selected></option></select></span>' +
    '<span class="ql-formats">' +
    '<button type="button" class="ql-bold" aria-label="加粗" title="加粗"></button>' +
    '<button type="button" class="ql-italic" aria-label="倾斜" title="倾斜"></button>' +
    '<button type="button" class="ql-underline" aria-label="下划线" title="下划线"></button>' +
    '<button type="button" class="ql-strike" aria-label="删除线" title="删除线"></button></span>' +
    '<span class="ql-formats">' +
    '<button type="button" class="ql-list" value="ordered" aria-label="编号列表" title="编号列表"></button>' +
    '<button type="button" class="ql-list" value="bullet" aria-label="项目符号列表" title="项目符号列表"></button>' +
    '<button type="button" class="ql-indent" value="-1" aria-label="减少缩进" title="减少缩进"></button>' +
    '<button type="button" class="ql-indent" value="+1" aria-label="增加缩进" title="增加缩进"></button></span>' +
    '<span class="ql-formats">' +
    '<select class="ql-align"><option selected></option><option value="center"></option>' +
    '<option value="right"></option><option value="justify"></option></select></span>' +
    '<span class="ql-formats">' +
    '<button type="button" class="ql-blockquote" aria-label="引用" title="引用"></button>' +
    '<button type="button" class="ql-link" aria-label="插入链接" title="插入链接"></button>' +
    '<button type="button" class="ql-clean" aria-label="清除格式" title="清除格式"></button></span>' +
    '<span class="ql-formats rt-extra">' +
    '<button type="button" class="rt-source" aria-pressed="false">HTML 源码</button></span>';

  var PICKER_LABELS = {
    header: {name: "段落格式", items: {"2": "一级标题", "3": "二级标题", "": "正文段落"}},
    align: {name: "对齐方式", items: {"": "左对齐", center: "居中", right: "右对齐", justify: "两端对齐"}}
  };

  function label(picker, kind) {
    var names = PICKER_LABELS[kind];
    var head = picker.querySelector(".ql-picker-label");
    if (head) head.setAttribute("aria-label", names.name);
    picker.querySelectorAll(".ql-picker-item").forEach(function (item) {
      var text = names.items[item.getAttribute("data-value") || ""];
      if (text) { item.setAttribute("aria-label", text); item.setAttribute("title", text); }
    });
  }

  // Quill writes every space as &nbsp;; keep only those that hold a run of spaces open.
  function toHtml(quill) {
    if (!quill.getText().trim()) return "";
    return quill.getSemanticHTML().replace(/&nbsp;(?!&nbsp;)/g, " ");
  }

  function bindEditor(textarea) {
    if (!window.Quill) return;
    var field = textarea.closest(".field");
    var labelEl = field && field.querySelector("label[for='" + textarea.id + "']");
    if (UNSUPPORTED.test(textarea.value)) {
      var note = document.createElement("p");
      note.className = "helptext rt-note";
      note.textContent = "正文含有表格、图片等编辑器无法保留的格式，请直接编辑 HTML 源码。";
      textarea.insertAdjacentElement("afterend", note);
      return;
    }
    var wrap = document.createElement("div");
    wrap.className = "rich-text";
    var toolbar = document.createElement("div");
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文格式");
    toolbar.innerHTML = TOOLBAR;
    var editor = document.createElement("div");
    wrap.appendChild(toolbar);
    wrap.appendChild(editor);
    textarea.insertAdjacentElement("afterend", wrap);

    var passTab = {key: "Tab", handler: function () { return true; }};  // Tab leaves the editor (no keyboard trap)
    var quill = new window.Quill(editor, {
      theme: "snow",
      placeholder: "请输入正文……",
      // The toolbar offers the common formats; the others are kept when an existing body has them.
      formats: ["header", "bold", "italic", "underline", "strike", "list", "indent", "align", "blockquote", "link",
                "script", "code", "code-block"],
      modules: {
        toolbar: toolbar,
        keyboard: {bindings: {
          tab: passTab,
          indent: {key: "Tab", format: ["blockquote", "indent", "list"], handler: passTab.handler},
          outdent: {key: "Tab", shiftKey: true, format: ["blockquote", "indent", "list"], handler: passTab.handler}
        }}
      }
    });
    if (textarea.value.trim()) quill.clipboard.dangerouslyPasteHTML(textarea.value);  // sanitized by the server
    quill.history.clear();
    quill.setSelection(null);

    var root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    root.id = textarea.id + "_editor";
    if (labelEl) {
      root.setAttribute("aria-labelledby", labelEl.id || (labelEl.id = textarea.id + "_label"));
      labelEl.addEventListener("click", function (e) { e.preventDefault(); quill.focus(); });
    }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) root.setAttribute(name, textarea.getAttribute(name));
    });
    toolbar.querySelectorAll(".ql-picker.ql-header").forEach(function (p) { label(p, "header"); });
    toolbar.querySelectorAll(".ql-picker.ql-align").forEach(function (p) { label(p, "align"); });
    var tooltipBox = quill.theme && quill.theme.tooltip && quill.theme.tooltip.textbox;
    if (tooltipBox) {
      tooltipBox.setAttribute("data-link", "https://");
      tooltipBox.setAttribute("aria-label", "链接地址");
    }

    textarea.hidden = true;
    var sync = function () { if (!textarea.hidden) return; textarea.value = toHtml(quill); };
    quill.on("text-change", sync);
    textarea.form.addEventListener("submit", sync);
    // Links in the summary of errors point at the textarea; send them to the editor instead.
    document.querySelectorAll("a[href='#" + textarea.id + "']").forEach(function (a) {
      a.setAttribute("href", "#" + root.id);
      a.addEventListener("click", function (e) { e.preventDefault(); quill.focus(); });
    });

    // Switch to the HTML source and back (the textarea is the source of truth while it shows).
    var source = toolbar.querySelector(".rt-source");
    source.addEventListener("click", function () {
      var showSource = textarea.hidden;
      if (showSource) {
        sync();
        textarea.hidden = false;
        editor.hidden = true;
        toolbar.querySelectorAll(".ql-formats:not(.rt-extra)").forEach(function (g) { g.hidden = true; });
        textarea.focus();
      } else {
        if (UNSUPPORTED.test(textarea.value)) {
          window.alert("HTML 源码中含有编辑器无法保留的格式（表格、图片等），请继续在源码中编辑。");
          return;
        }
        quill.setContents([]);
        if (textarea.value.trim()) quill.clipboard.dangerouslyPasteHTML(textarea.value);
        textarea.hidden = true;
        editor.hidden = false;
        toolbar.querySelectorAll(".ql-formats").forEach(function (g) { g.hidden = false; });
        quill.focus();
      }
      source.setAttribute("aria-pressed", showSource ? "true" : "false");
    });
  }

  function bindCounter(counter) {
    var input = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!input) return;
    var max = parseInt(input.getAttribute("maxlength"), 10) || 100;
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.insertAdjacentElement("afterend", live);
    var update = function () {
      var used = Array.from(input.value).length;
      counter.textContent = "已输入 " + used + "/" + max + " 字";
      counter.classList.toggle("counter-full", used >= max);
      // Announce only near the limit, not at every keystroke.
      live.textContent = used >= max ? "内容概述已达" + max + "字上限" : used >= max - 10 ? "还可输入" + (max - used) + "字" : "";
    };
    input.addEventListener("input", update);
    update();
  }

  ready(function () {
    document.querySelectorAll("textarea[data-rich-text]").forEach(bindEditor);
    document.querySelectorAll("[data-counter-for]").forEach(bindCounter);
    // One submission per page: a second click while the first is on its way would save the draft twice.
    document.querySelectorAll("form[data-item-form]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (form.getAttribute("data-submitted")) { e.preventDefault(); return; }
        form.setAttribute("data-submitted", "1");
      });
    });

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
