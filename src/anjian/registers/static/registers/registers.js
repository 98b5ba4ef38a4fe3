// The registers' small script: marking a chemicals storage place on a floor plan (a click on the
// plan fills the two percentages; typing them moves the marker), and the plan chooser (shows the
// chosen plan). The server checks the spot again on saving.
(function () {
  const chooser = document.querySelector("[data-plan-chooser]");
  if (chooser) {
    chooser.addEventListener("change", () => {
      if (!chooser.value) return; // no plan: saving takes the mark off
      const url = new URL(window.location.href);
      url.searchParams.set("plan", chooser.value);
      window.location.assign(url.toString());
    });
  }

  const svg = document.querySelector("[data-locate-svg]");
  const x = document.querySelector("[data-plan-x]");
  const y = document.querySelector("[data-plan-y]");
  if (!svg || !x || !y) return;
  const marker = svg.querySelector("[data-spot-marker]");
  const width = Number(svg.dataset.width) || 1000;
  const height = Number(svg.dataset.height) || 1000;
  const show = () => {
    const px = parseFloat(x.value);
    const py = parseFloat(y.value);
    if (Number.isNaN(px) || Number.isNaN(py)) {
      marker.setAttribute("visibility", "hidden");
      return;
    }
    marker.setAttribute("cx", String((px / 100) * width));
    marker.setAttribute("cy", String((py / 100) * height));
    marker.setAttribute("visibility", "visible");
  };
  svg.addEventListener("click", (event) => {
    const box = svg.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const fy = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    x.value = (fx * 100).toFixed(2);
    y.value = (fy * 100).toFixed(2);
    show();
  });
  x.addEventListener("input", show);
  y.addEventListener("input", show);
  show();
})();
