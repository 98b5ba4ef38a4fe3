// The checklist on a phone: one section per screen, "下一步" moves on once every item is answered;
// the note and photo of an item show when it is marked 不合格. Without this script every section
// shows, one below the other, and the form still works.
(function () {
  var form = document.querySelector(".checklist-form");
  if (!form) return;
  var sections = Array.prototype.slice.call(form.querySelectorAll(".checklist-section"));
  var submit = form.querySelector(".checklist-submit");
  var current = 0;
  form.classList.add("stepped");

  function show(i) {
    current = i;
    sections.forEach(function (s, n) { s.hidden = n !== i; });
    submit.hidden = i !== sections.length - 1;
    window.scrollTo(0, 0);
  }
  function unanswered(section) {
    return Array.prototype.filter.call(section.querySelectorAll(".checklist-item"), function (item) {
      return !item.querySelector("input[type=radio]:checked");
    });
  }
  function toggle(item) {
    var failed = item.querySelector("input[value=fail]:checked");
    item.querySelector(".fail-details").hidden = !failed;
  }
  form.querySelectorAll(".checklist-item").forEach(function (item) {
    toggle(item);
    item.addEventListener("change", function () { toggle(item); item.classList.remove("bg-yellow-lt"); });
  });
  form.querySelectorAll(".js-next").forEach(function (b) {
    b.addEventListener("click", function () {
      var left = unanswered(sections[current]);
      left.forEach(function (item) { item.classList.add("bg-yellow-lt"); });
      if (left.length) { left[0].scrollIntoView({ block: "center" }); return; }
      show(current + 1);
    });
  });
  form.querySelectorAll(".js-prev").forEach(function (b) {
    b.addEventListener("click", function () { show(current - 1); });
  });
  form.querySelectorAll(".js-all-pass").forEach(function (b) {
    b.addEventListener("click", function () {
      b.closest(".checklist-section").querySelectorAll(".checklist-item").forEach(function (item) {
        if (!item.querySelector("input[type=radio]:checked")) {
          item.querySelector("input[value=pass]").checked = true;
          toggle(item);
        }
      });
    });
  });
  // after a refusal, open the section with the first failed item (or the last one)
  var firstError = form.querySelector("[data-testid=form-errors]") ? sections.length - 1 : 0;
  show(firstError);
})();
