// Entry pages: what a person typed is never lost without a word.
// - A form marked data-unsaved-guard remembers that something was typed and not saved; the
//   browser then asks before the page is left.
// - A form marked data-needs-saved="#other" is not sent while #other holds unsaved values:
//   a message beside its button says so (sending would drop them).
// - The figure grid: Enter/arrows move between cells; a pasted column fills the cells below.
// - After "Lưu số liệu" comes back with errors, the first wrong cell gets the focus and the
//   summary beside the button says how many cells are wrong.
(function () {
  "use strict";
  var dirty = new Set();

  function guard(form) {
    form.addEventListener("input", function () { dirty.add(form); });
    form.addEventListener("change", function () { dirty.add(form); });
    form.addEventListener("submit", function () { dirty.delete(form); });
  }

  function focusFirstError(box) {
    var first = box.querySelector("input.is-invalid, select.is-invalid, textarea.is-invalid");
    if (first) {
      first.focus();
      first.scrollIntoView({ block: "center" });
    }
  }

  function afterFiguresSwap() {
    var box = document.getElementById("kiem-tra-so-lieu");
    if (!box) { return; }
    var form = box.closest("form");
    if (form && box.hasAttribute("data-saved")) { dirty.delete(form); }
    if (box.hasAttribute("data-focus-first-error")) { focusFirstError(box); }
  }

  document.querySelectorAll("form[data-unsaved-guard]").forEach(guard);

  // The task form: choosing "Đã hoàn thành" or "Chưa triển khai" fills the percentage the
  // choice means (100 or 0) where the page had filled it (from last period), never over a
  // percentage the person typed: the server refuses a contradiction rather than change it.
  var state = document.getElementById("id_reported_state");
  var percent = document.getElementById("id_progress_percent");
  if (state && percent) {
    var typed = false;
    percent.addEventListener("input", function () { typed = true; });
    state.addEventListener("change", function () {
      if (typed) { return; }
      if (state.value === "completed") { percent.value = "100"; }
      if (state.value === "not_started") { percent.value = "0"; }
    });
  }

  document.querySelectorAll("form[data-needs-saved]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var other = document.querySelector(form.getAttribute("data-needs-saved"));
      if (other && dirty.has(other)) {
        event.preventDefault();
        var notice = form.querySelector("#con-chua-luu");
        if (notice) {
          notice.classList.remove("d-none");
          notice.setAttribute("tabindex", "-1");
          notice.focus();
        }
      }
    });
  });

  // After settling, not swapping: while htmx settles a swapped element it still carries the
  // old element's attributes (for transitions), so a cell just found wrong has its
  // "is-invalid" class only once the swap has settled.
  document.body.addEventListener("htmx:afterSettle", afterFiguresSwap);

  // "Lưu số liệu" answers for every cell typed before it was pressed: a check of those same
  // cells (its change event fires as the focus leaves the cell for the button) must not come
  // back after it and replace what the save said ("Chưa lưu số liệu nào", "Đã lưu").
  var typedAt = 0;
  var savedAt = 0;
  document.body.addEventListener("input", function (event) {
    if (event.target.closest("#kiem-tra-so-lieu")) { typedAt = Date.now(); }
  });
  document.body.addEventListener("click", function (event) {
    var button = event.target.closest("button[value=save]");
    if (button && button.closest("form")) { savedAt = Date.now(); }
  }, true);
  function isCheck(elt) {
    return elt && elt.tagName === "FORM" && elt.querySelector("#kiem-tra-so-lieu");
  }
  document.body.addEventListener("htmx:confirm", function (event) {
    if (isCheck(event.detail.elt) && savedAt && typedAt <= savedAt) { event.preventDefault(); }
  });
  // A check triggered before the save but queued behind another request (a slow server) is
  // dropped when its turn comes after the save; one already sent does not swap its answer
  // over the save's.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!isCheck(event.detail.elt)) { return; }
    if (savedAt && typedAt <= savedAt) { event.preventDefault(); return; }
    event.detail.xhr.theodoiSentAt = Date.now();
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var sentAt = event.detail.xhr && event.detail.xhr.theodoiSentAt;
    if (isCheck(event.detail.elt) && sentAt && sentAt < savedAt) {
      event.detail.shouldSwap = false;
    }
  });

  // The figure grid moves like a spreadsheet: Enter and ↓ go to the cell below, ↑ above
  // (Tab goes on as usual); a column copied from Excel and pasted into a cell fills that cell
  // and those below it, one line each, and is checked like typing.
  function cells() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-figure-grid] input[data-cell]:not([disabled])"));
  }
  document.body.addEventListener("keydown", function (event) {
    var cell = event.target.closest && event.target.closest("[data-figure-grid] input[data-cell]");
    if (!cell || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var step = { Enter: 1, ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (!step) { return; }
    var all = cells();
    var next = all[all.indexOf(cell) + step];
    event.preventDefault();
    if (next) { next.focus(); next.select(); }
  });
  document.body.addEventListener("paste", function (event) {
    var cell = event.target.closest && event.target.closest("[data-figure-grid] input[data-cell]");
    if (!cell || !event.clipboardData) { return; }
    var lines = event.clipboardData.getData("text").replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") { lines.pop(); }
    if (lines.length < 2) { return; }
    event.preventDefault();
    var all = cells();
    var start = all.indexOf(cell);
    lines.forEach(function (line, i) {
      var target = all[start + i];
      if (!target) { return; }
      target.value = line.split("\t")[0].trim();
      target.dispatchEvent(new Event("input", { bubbles: true }));
    });
    cell.dispatchEvent(new Event("change", { bubbles: true }));
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A page sent back by the server (without scripts' help) with wrong cells.
  afterFiguresSwap();
  var wrongTask = document.querySelector("form[data-unsaved-guard] .is-invalid");
  if (wrongTask && !document.getElementById("kiem-tra-so-lieu")) { wrongTask.focus(); }
})();
