// A table wider than the screen scrolls inside its own box (.table-responsive). Keyboard users must
// be able to scroll it too, so a box that overflows becomes a focusable region named after its
// table's caption; one that fits is left out of the tab order.
(function () {
  function mark(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    if (box.dataset.focusableSet === "static") return;
    if (box.getAttribute("tabindex") === "0" && !box.dataset.focusableSet) {
      box.dataset.focusableSet = "static";
      return;
    }
    if (overflows) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) {
        var caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
        box.dataset.labelSet = "script";
      }
      box.dataset.focusableSet = "script";
    } else if (box.dataset.focusableSet === "script") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      if (box.dataset.labelSet) box.removeAttribute("aria-label");
      delete box.dataset.focusableSet;
      delete box.dataset.labelSet;
    }
  }
  function markAll() {
    document.querySelectorAll(".table-responsive").forEach(mark);
  }
  markAll();
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markAll, 100);
  });
  document.addEventListener("htmx:afterSettle", markAll);
})();
