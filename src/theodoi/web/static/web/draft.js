// The draft editor: each section in its own Quill editor, saved on demand and every 15 s when
// changed; a save names the version it started from, and a 409 answer (someone saved in
// between) is shown, never overwritten.
(function () {
  const script = document.getElementById("draft-script");
  const url = script.dataset.saveUrl;
  const token = document.querySelector("#draft-context [name=csrfmiddlewaretoken]").value;

  document.querySelectorAll("[data-draft-editor]").forEach((element) => {
    const position = element.dataset.position;
    const state = document.querySelector(`[data-state="${position}"]`);
    const quill = window.theodoiEditor(element);
    let version = Number(element.dataset.version);
    let dirty = false;
    let saving = false;
    let blocked = false;

    quill.on("text-change", () => {
      dirty = true;
      if (!blocked) state.textContent = "Có thay đổi chưa lưu.";
    });

    async function save() {
      if (saving || blocked) return;
      saving = true;
      const body = new URLSearchParams({
        muc: position,
        "phien-ban": String(version),
        "tieu-de": element.dataset.title,
        "noi-dung": quill.getSemanticHTML(),
      });
      dirty = false;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "X-CSRFToken": token },
          body,
          credentials: "same-origin",
        });
        const answer = await response.json();
        if (response.ok) {
          version = answer.version;
          state.textContent = answer.message;
          state.className = "small text-success";
        } else {
          dirty = true;
          state.textContent = answer.message;
          state.className = "small text-danger fw-semibold";
          if (response.status === 409) blocked = true;  // reload to see the other's version
        }
      } catch (error) {
        dirty = true;
        state.textContent = "Chưa lưu được (mất kết nối?). Nội dung vẫn còn trên trang; thử lại.";
        state.className = "small text-danger";
      } finally {
        saving = false;
      }
    }

    document.querySelector(`[data-save="${position}"]`).addEventListener("click", save);
    setInterval(() => { if (dirty) save(); }, 15000);
    window.addEventListener("beforeunload", (event) => {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
