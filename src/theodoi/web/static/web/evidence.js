// The evidence picker: the documents' list becomes a search box (Tom Select, from npm,
// served locally). Typing a number ("96/KH") or words of the subject, with or without
// diacritics, narrows the list; chosen documents show as tags with a remove button. Without
// scripts the plain multiple choice list still works.
(function () {
  "use strict";
  var select = document.getElementById("id_evidence_documents");
  if (!select || typeof TomSelect === "undefined" || select.disabled) { return; }
  new TomSelect(select, {
    plugins: ["remove_button"],
    maxOptions: 30,
    diacritics: true,
    placeholder: "Gõ số, ký hiệu hoặc vài chữ của trích yếu để tìm văn bản…",
    render: {
      no_results: function () { return '<div class="no-results">Không có văn bản nào khớp.</div>'; },
    },
  });
})();
