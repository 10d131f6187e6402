/* kesu queues: keyboard navigation of the complaint list and the bulk bar.
 *
 *   j / k     move the highlighted row down / up
 *   Enter, o  open the highlighted complaint
 *   x         tick / untick the highlighted row (for the bulk bar)
 * ("g m" / "g u" are declared on the queue links and handled by shortcuts.js.)
 * The bulk bar shows how many rows are ticked and only the fields its action needs; forms marked
 * data-query-from-location send the list's current query (htmx changes it without a reload).
 */
(function () {
  "use strict";

  var current = -1;

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-queue-rows] tbody tr")).filter(function (row) {
      return row.querySelector("[data-row-link]");
    });
  }

  function highlight(index) {
    var list = rows();
    if (!list.length) return;
    index = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (row, i) {
      row.classList.toggle("is-current", i === index);
      if (i === index) row.setAttribute("aria-selected", "true");
      else row.removeAttribute("aria-selected");
    });
    current = index;
    list[index].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    var list = rows();
    return current >= 0 && current < list.length ? list[current] : null;
  }

  function bulkCount() {
    var count = document.querySelectorAll("input[name=ids][form=bulk-form]:checked").length;
    var shown = document.querySelector("[data-bulk-count]");
    if (shown) shown.textContent = String(count);
    var bar = document.getElementById("bulk-form");
    if (bar) bar.classList.toggle("has-selection", count > 0);
  }

  function bulkFields() {
    var action = document.querySelector("[data-bulk-action]");
    if (!action) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-bulk-for]"), function (part) {
      part.hidden = part.getAttribute("data-bulk-for") !== action.value;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (document.getElementById("shortcut-help")) return;
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      highlight(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
    } else if ((key === "Enter" || key === "o") && currentRow()) {
      if (key === "Enter" && event.target && event.target.closest && event.target.closest("a, button")) return;
      event.preventDefault();
      window.location.href = currentRow().querySelector("[data-row-link]").getAttribute("href");
    } else if (key === "x" && currentRow()) {
      var box = currentRow().querySelector("input[type=checkbox]");
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
        bulkCount();
      }
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-bulk-all]")) {
      Array.prototype.forEach.call(document.querySelectorAll("input[name=ids][form=bulk-form]"), function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches && (target.matches("input[name=ids]") || target.matches("[data-bulk-all]"))) bulkCount();
    if (target.matches && target.matches("[data-bulk-action]")) bulkFields();
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-query-from-location")) return;
    // only on the list itself (a page shown again after an error keeps what the server wrote)
    if (window.location.pathname !== form.getAttribute("data-query-from-location")) return;
    var here = window.location.pathname + window.location.search;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = here;
    var query = form.querySelector("input[name=query]");
    if (query) query.value = window.location.search.replace(/^\?/, "");
  });

  // the results were replaced (a filter, a page): start again from the top, nothing ticked
  document.addEventListener("htmx:afterSwap", function () {
    current = -1;
    bulkCount();
  });

  document.addEventListener("DOMContentLoaded", function () {
    bulkFields();
    bulkCount();
  });
})();
