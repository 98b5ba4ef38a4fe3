// The risk register's small script: the method's factor fields, drawing areas on a floor plan
// (click to add a point; the polygon is stored as coordinates 0–1 of the plan).
(function () {
  // the rating form: show the factor selects of the chosen method only
  const method = document.querySelector("[data-method-select]");
  if (method) {
    const sync = () => {
      document.querySelectorAll("[data-method]").forEach((select) => {
        const group = select.closest("fieldset") || select.closest(".mb-3");
        if (group) group.hidden = select.dataset.method !== method.value;
      });
    };
    method.addEventListener("change", sync);
    sync();

    // the score and level as the values are chosen (the service computes them again on saving)
    const preview = document.querySelector("[data-rating-preview]");
    const bandsTag = document.getElementById("risk-bands");
    if (preview && bandsTag) {
      const bands = JSON.parse(bandsTag.textContent);
      const initial = preview.textContent;
      const show = () => {
        const selects = [...document.querySelectorAll(`[data-method="${method.value}"]`)];
        const values = selects.map((s) => parseFloat(s.value));
        if (!selects.length || values.some((v) => Number.isNaN(v))) {
          preview.className = "alert alert-secondary mb-0";
          preview.textContent = initial;
          return;
        }
        const score = Math.round(values.reduce((a, b) => a * b, 1) * 100) / 100;
        const band = (bands[method.value] || []).find((b) => (b.inclusive ? score >= b.min : score > b.min));
        preview.className = `alert mb-0 bg-${band ? band.css : "secondary"}-lt`;
        preview.textContent = `${method.value === "LS" ? "R" : "D"} = ${score}${band ? " → " + band.label : ""}`;
      };
      document.querySelectorAll("[data-method]").forEach((s) => s.addEventListener("change", show));
      method.addEventListener("change", show);
      show();
    }
  }

  // drawing an area on a floor plan
  const svg = document.querySelector("[data-plan-svg]");
  const input = document.querySelector("[data-area-points]");
  if (svg && input) {
    const draft = svg.querySelector("[data-draft]");
    const width = Number(svg.dataset.width);
    const height = Number(svg.dataset.height);
    let points = [];
    try { points = JSON.parse(input.value || "[]"); } catch (e) { points = []; }
    const render = () => {
      draft.setAttribute("points", points.map(([x, y]) => `${x * width},${y * height}`).join(" "));
      input.value = JSON.stringify(points);
      const count = document.querySelector("[data-point-count]");
      if (count) count.textContent = String(points.length);
    };
    svg.addEventListener("click", (event) => {
      if (event.target.closest("a")) return; // a click on an existing area opens its notice board
      const box = svg.getBoundingClientRect();
      const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      points.push([Math.round(x * 10000) / 10000, Math.round(y * 10000) / 10000]);
      render();
    });
    const undo = document.querySelector("[data-undo-point]");
    if (undo) undo.addEventListener("click", () => { points.pop(); render(); });
    const clear = document.querySelector("[data-clear-points]");
    if (clear) clear.addEventListener("click", () => { points = []; render(); });
    render();
  }
})();
