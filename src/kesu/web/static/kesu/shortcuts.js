/* kesu keyboard shortcuts.
 *
 * A page declares its shortcuts on the elements themselves:
 *   <a href="…" data-shortcut="g q" data-shortcut-label="Go to my queue">…</a>
 *   <textarea data-shortcut="r" data-shortcut-label="Write a reply"></textarea>
 * A key (or a two-key sequence such as "g q") clicks a link or button, focuses a field, and opens a
 * closed <details> that holds the element first. "?" lists the page's shortcuts; Escape closes the
 * list and leaves a field. Keys typed into a field are never taken (except Escape), nor are keys
 * with Ctrl / Alt / Meta, so the browser's own shortcuts keep working.
 */
(function () {
  "use strict";

  var SEQUENCE_MS = 1200;
  var pending = "";
  var pendingAt = 0;

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function visible(element) {
    return !!(element.offsetWidth || element.offsetHeight || element.getClientRects().length);
  }

  function shortcutElements() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-shortcut]"));
  }

  function openDetails(element) {
    for (var node = element.parentElement; node; node = node.parentElement) {
      if (node.tagName && node.tagName.toLowerCase() === "details" && !node.open) node.open = true;
    }
  }

  function activate(element) {
    openDetails(element);
    var tag = element.tagName.toLowerCase();
    if (tag === "details") {
      element.open = true;
      var first = element.querySelector("input:not([type=hidden]), textarea, select, button");
      if (first) first.focus();
      element.scrollIntoView({ block: "nearest" });
    } else if (tag === "input" || tag === "textarea" || tag === "select") {
      element.focus();
      element.scrollIntoView({ block: "nearest" });
    } else {
      element.click();
    }
  }

  function find(keys) {
    var matches = shortcutElements().filter(function (element) {
      return element.getAttribute("data-shortcut") === keys;
    });
    // several elements may share a key (a list of rows): the first visible one wins
    for (var i = 0; i < matches.length; i++) {
      if (visible(matches[i]) || matches[i].closest("details")) return matches[i];
    }
    return null;
  }

  function isPrefix(keys) {
    return shortcutElements().some(function (element) {
      return (element.getAttribute("data-shortcut") || "").indexOf(keys + " ") === 0;
    });
  }

  function helpClose() {
    var dialog = document.getElementById("shortcut-help");
    if (dialog) dialog.remove();
  }

  function helpToggle() {
    if (document.getElementById("shortcut-help")) { helpClose(); return; }
    var seen = {};
    var rows = shortcutElements().filter(function (element) {
      var keys = element.getAttribute("data-shortcut");
      if (seen[keys]) return false;
      seen[keys] = true;
      return true;
    });
    var dialog = document.createElement("div");
    dialog.id = "shortcut-help";
    dialog.className = "shortcut-help";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    var title = document.body.getAttribute("data-shortcuts-title") || "Keyboard shortcuts";
    var html = "<div class=\"shortcut-panel\"><h2>" + escapeHtml(title) + "</h2><table>";
    rows.forEach(function (element) {
      var keys = element.getAttribute("data-shortcut").split(" ").map(function (key) {
        return "<kbd>" + escapeHtml(key) + "</kbd>";
      }).join(" ");
      var label = element.getAttribute("data-shortcut-label") || element.textContent.trim();
      html += "<tr><td class=\"keys\">" + keys + "</td><td>" + escapeHtml(label) + "</td></tr>";
    });
    html += "<tr><td class=\"keys\"><kbd>?</kbd></td><td>" +
      escapeHtml(document.body.getAttribute("data-shortcuts-help") || "Show or hide this list") + "</td></tr>";
    html += "</table></div>";
    dialog.innerHTML = html;
    dialog.addEventListener("click", function (event) { if (event.target === dialog) helpClose(); });
    document.body.appendChild(dialog);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      helpClose();
      if (typing(event.target)) event.target.blur();
      pending = "";
      return;
    }
    if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (event.key === "?") { event.preventDefault(); helpToggle(); return; }
    if (event.key.length !== 1) return;
    var now = Date.now();
    var keys = pending && now - pendingAt < SEQUENCE_MS ? pending + " " + event.key : event.key;
    var element = find(keys);
    if (element) {
      event.preventDefault();
      pending = "";
      helpClose();
      activate(element);
      return;
    }
    if (isPrefix(keys)) {
      pending = keys;
      pendingAt = now;
      event.preventDefault();
      return;
    }
    pending = "";
  });
})();
