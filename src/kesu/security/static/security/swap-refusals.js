// An element with data-swap-refusals="403 409 422" lets htmx swap in those error answers (the fragment
// with its message) instead of dropping them. Replaces inline hx-on handlers: the Content-Security-Policy
// allows no inline script and no eval (kesu.security.middleware).
document.addEventListener("htmx:beforeSwap", function (event) {
  var holder = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("[data-swap-refusals]") : null;
  if (!holder) return;
  var codes = holder.getAttribute("data-swap-refusals").split(/\s+/);
  if (codes.indexOf(String(event.detail.xhr.status)) !== -1) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
