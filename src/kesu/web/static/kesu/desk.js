/* kesu desk: the live SLA countdown and the reply composer.
 *
 * Countdown: every <time data-countdown datetime="…"> shows the time left to (or past) its instant,
 * refreshed every 30 s, in the page's language: the wording comes from the data attributes of the
 * enclosing [data-countdown-words] element ("{time} left", "overdue {time}", "{h} h {m} min" …),
 * which the server translated. It is wall-clock time; the due instant itself was computed on the
 * working calendar by the server.
 *
 * Composer: choosing a template asks the server for it with the complaint's details filled in
 * (htmx); the filled text is copied into the reply's textarea, after asking if the handler had
 * already written something else there.
 */
(function () {
  "use strict";

  var REFRESH_MS = 30000;

  function fill(pattern, values) {
    return String(pattern).replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function span(words, minutes) {
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    if (days) return fill(words.days, { d: days, h: hours });
    if (hours) return fill(words.hours, { h: hours, m: mins });
    return fill(words.minutes, { m: mins });
  }

  function countdownText(words, due, now) {
    var seconds = (due - now) / 1000;
    var minutes = Math.floor(Math.abs(seconds) / 60);
    return fill(seconds >= 0 ? words.left : words.over, { time: span(words, minutes) });
  }

  function countdowns() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (element) {
      var box = element.closest("[data-countdown-words]");
      var due = Date.parse(element.getAttribute("datetime"));
      if (!box || isNaN(due)) return;
      var words = {
        left: box.dataset.left, over: box.dataset.over, days: box.dataset.days,
        hours: box.dataset.hours, minutes: box.dataset.minutes
      };
      element.textContent = countdownText(words, due, now);
      element.classList.toggle("countdown-over", due < now);
    });
  }

  var lastInserted = "";

  function templateFilled(event) {
    var target = event.detail && event.detail.target;
    var preview = document.getElementById("reply-preview");
    if (!preview || (target && target.id !== "reply-preview" && !preview.contains(target))) return;
    var source = preview.querySelector("template.preview-text");
    var textarea = document.getElementById("reply-text");
    if (!source || !textarea) return;
    var text = source.content ? source.content.textContent : source.textContent;
    var current = textarea.value.trim();
    if (current && current !== lastInserted.trim()) {
      var select = document.querySelector("[data-confirm-replace]");
      var question = select ? select.getAttribute("data-confirm-replace") : "Replace?";
      if (!window.confirm(question)) return;
    }
    textarea.value = text;
    lastInserted = text;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  window.kesuCountdowns = countdowns;  // for a page that changes its clocks (and the browser tests)

  document.addEventListener("DOMContentLoaded", function () {
    countdowns();
    window.setInterval(countdowns, REFRESH_MS);
  });
  document.body
    ? document.body.addEventListener("htmx:afterSettle", templateFilled)
    : document.addEventListener("DOMContentLoaded", function () {
        document.body.addEventListener("htmx:afterSettle", templateFilled);
      });
})();
