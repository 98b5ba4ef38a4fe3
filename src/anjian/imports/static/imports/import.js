// The default organization applies to departments and staff only: hide it for institutions.
(function () {
  var field = document.querySelector("[data-import-organization]");
  if (!field) return;
  var radios = document.querySelectorAll("input[name=kind]");
  function update() {
    var checked = document.querySelector("input[name=kind]:checked");
    field.hidden = !!checked && checked.value === "institutions";
  }
  for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", update);
  update();
})();
