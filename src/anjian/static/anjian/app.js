// Anjian's small amount of script: htmx carries the CSRF token; confirm before a dangerous action;
// a print button (data-print: a button, not an inline handler, which the CSP refuses) prints the page.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-print]")) return;
  event.preventDefault(); // a link (href="#") as well as a button
  window.print();
});
