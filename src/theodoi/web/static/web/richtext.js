// The rich-text editor (Quill, from npm, served locally) for the texts units and coordinators
// write into the report: paragraphs, lists, bold, italic, underline, superscript for a
// footnote mark. The HTML goes to the form's hidden textarea; the server keeps only those
// tags (nh3) whatever the browser sends.
(function () {
  const TOOLBAR = [["bold", "italic", "underline", { script: "super" }], [{ list: "ordered" }, { list: "bullet" }], ["clean"]];

  function editorOf(element) {
    const quill = new Quill(element, {
      theme: "snow",
      modules: { toolbar: TOOLBAR },
      formats: ["bold", "italic", "underline", "script", "list"],
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
