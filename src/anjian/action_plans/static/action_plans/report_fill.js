// The report form: how many characters the text fields hold together, against the report's limit
// (the server counts the same way: each text field trimmed, numbers not counted).
(function () {
  var counter = document.querySelector("[data-char-count]");
  if (!counter) return;
  var form = counter.closest("form");
  var total = counter.querySelector("[data-char-total]");
  var max = parseInt(counter.dataset.max, 10);
  function update() {
    var n = 0;
    form.querySelectorAll("textarea").forEach(function (area) { n += area.value.trim().length; });
    total.textContent = n;
    counter.classList.toggle("text-danger", n > max);
    counter.classList.toggle("text-secondary", n <= max);
  }
  form.addEventListener("input", update);
  update();
})();

// A figure the platform counted (data-counted): once changed, its reason is asked for beside it
// (the server requires it when the report is submitted).
(function () {
  document.querySelectorAll("[data-counted]").forEach(function (input) {
    var reason = document.getElementById("id_" + input.dataset.reasonFor);
    if (!reason) return;
    function update() {
      var differs = input.value.trim() !== "" && input.value.trim() !== String(input.dataset.counted);
      reason.required = differs;
      reason.classList.toggle("border-warning", differs && reason.value.trim() === "");
    }
    input.addEventListener("input", update);
    reason.addEventListener("input", update);
    update();
  });
})();
