// The rich-text editor (Quill, from npm, served locally) for the texts units and coordinators
// write into the report: paragraphs, lists, bold, italic, underline, superscript for a
// footnote mark. The HTML goes to the form's hidden textarea; the server keeps only those
// tags (nh3) whatever the browser sends.
//
// A number that comes from the data is a *live figure*: one uneditable piece showing its
// value (its source on hover), which the report reads from the data when it is built.
// Deleting it and typing a number instead is allowed; the server flags the typed number.
(function () {
  const Embed = Quill.import("blots/embed");

  class LiveFigure extends Embed {
    static create(value) {
      const node = super.create(value);
      node.setAttribute("data-so-lieu", value.key);
      node.setAttribute("title", value.title || "Số liệu lấy từ dữ liệu, tự cập nhật");
      node.textContent = value.text;
      return node;
    }

    static value(node) {
      return {
        key: node.getAttribute("data-so-lieu"),
        text: node.textContent.replace(/\uFEFF/g, ""),
        title: node.getAttribute("title") || "",
      };
    }

    html() {
      const value = LiveFigure.value(this.domNode);
      const span = document.createElement("span");
      span.className = "so-lieu";
      span.setAttribute("data-so-lieu", value.key);
      if (value.title) span.setAttribute("title", value.title);
      span.textContent = value.text;
      return span.outerHTML;
    }
  }
  LiveFigure.blotName = "soLieu";
  LiveFigure.tagName = "SPAN";
  LiveFigure.className = "so-lieu";
  Quill.register(LiveFigure);

  const TOOLBAR = [["bold", "italic", "underline", { script: "super" }], [{ list: "ordered" }, { list: "bullet" }], ["clean"]];

  function editorOf(element) {
    const quill = new Quill(element, {
      theme: "snow",
      modules: { toolbar: TOOLBAR },
      formats: ["bold", "italic", "underline", "script", "list", "soLieu"],
    });
    quill.root.setAttribute("aria-label", element.dataset.label || "Nội dung");
    quill.root.setAttribute("lang", "vi");
    return quill;
  }

  window.theodoiEditor = editorOf;

  document.querySelectorAll("form[data-rich-form]").forEach((form) => {
    const element = form.querySelector("[data-rich-editor]");
    const field = form.querySelector("textarea");
    if (!element || !field) return;
    const quill = editorOf(element);
    form.addEventListener("submit", () => {
      field.value = quill.getSemanticHTML();
    });
  });
})();
