// 判定依据: the search box above the criteria select (hazards.forms.CriterionSelect) filters its options
// as one types — by standard, document number, item number and the whole wording — and the wording of
// the chosen item shows under the select. Options are taken out and put back rather than hidden, so
// the phones' native pickers (iOS, WeChat) show only the matches too. Without script: the plain select.
(function () {
  "use strict";

  function words(text) {
    return text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  }

  function setup(box) {
    var select = document.getElementById(box.getAttribute("data-filter-for"));
    if (!select || select.getAttribute("data-picker") === "on") return;
    select.setAttribute("data-picker", "on");
    var all = Array.prototype.slice.call(select.options);
    var hint = document.querySelector('[data-criterion-text-for="' + select.id + '"]');

    function showWording() {
      var chosen = select.options[select.selectedIndex];
      if (hint) hint.textContent = chosen && chosen.value ? chosen.title || "" : "";
    }

    function filter() {
      var wanted = words(box.value);
      var chosen = select.value;
      var matches = 0;
      while (select.options.length) select.remove(0);
      all.forEach(function (option) {
        var haystack = (option.getAttribute("data-search") || option.text).toLowerCase();
        var hit = option.value && wanted.every(function (w) { return haystack.indexOf(w) !== -1; });
        if (hit) matches += 1;
        if (!option.value || hit || option.value === chosen) select.add(option);
      });
      select.value = chosen;
      // while searching, the matches show as a list to pick from; back to a dropdown when cleared
      select.size = wanted.length ? Math.max(2, Math.min(matches + 1, 8)) : 1;
      box.classList.toggle("is-invalid", wanted.length > 0 && matches === 0);
    }

    box.hidden = false;
    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // not the form's submit
    });
    select.addEventListener("change", showWording);
    showWording();
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("input[data-filter-for]"), setup);
  }

  init(document);
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
