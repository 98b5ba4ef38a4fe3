// Bulk pages: the 全选 / 全不选 buttons tick or untick every box named in data-target.
document.querySelectorAll("[data-check]").forEach(function (button) {
  button.addEventListener("click", function () {
    document.querySelectorAll("input[name='" + button.dataset.target + "']").forEach(function (box) {
      box.checked = button.dataset.check === "all";
    });
  });
});
