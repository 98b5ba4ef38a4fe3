// The QR label sheet: 打印 prints the page (a button, not an inline handler: the CSP allows only
// scripts from our own files).
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
