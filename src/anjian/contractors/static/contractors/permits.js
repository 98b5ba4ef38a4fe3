// Work permits: the print button of the permit's A4 sheet.
(function () {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
