// The checklist on a phone: one section per screen, "下一步" moves on once every item is answered;
// the note and photo of an item show when it is marked 不合格. Without this script every section
// shows, one below the other, and the form still works (a refusal re-renders the page).
//
// With it, the form is sent with fetch and the server answers JSON: a refusal leaves the page as it
// is — answers, notes and the photos chosen stay (a file input cannot be refilled after a reload) —
// and every problem is marked at once under its item; the page opens the section of the first one
// and scrolls to it. Success goes to the record.
//
// The form carries an idempotency key made when the page was rendered (the hidden idempotency_key,
// sent again as the Idempotency-Key header): sending it again after the network failed — the record
// may have been written all the same — answers the first result instead of writing it twice.
(function () {
  var form = document.querySelector(".checklist-form");
  if (!form) return;
  var sections = Array.prototype.slice.call(form.querySelectorAll(".checklist-section"));
  var submitCard = form.querySelector(".checklist-submit");
  var submitButton = form.querySelector(".js-submit");
  var alertBox = form.querySelector("[data-testid=form-errors]");
  var current = 0;
  var sending = false;
  var keyField = form.querySelector("input[name=idempotency_key]");
  form.classList.add("stepped");

  function show(i, keepScroll) {
    current = i;
    sections.forEach(function (s, n) { s.hidden = n !== i; });
    submitCard.hidden = i !== sections.length - 1;
    if (!keepScroll) window.scrollTo(0, 0);
  }
  function items() {
    return Array.prototype.slice.call(form.querySelectorAll(".checklist-item"));
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
  function clearItemError(item) {
    item.classList.remove("has-error", "bg-red-lt");
    var box = item.querySelector(".item-errors");
    box.hidden = true;
    box.textContent = "";
  }
  function clearErrors() {
    items().forEach(clearItemError);
    form.querySelectorAll("[data-error-for]").forEach(function (field) { field.classList.remove("is-invalid"); });
    form.querySelectorAll("[data-feedback-for]").forEach(function (box) { box.textContent = ""; });
    alertBox.hidden = true;
  }
  function line(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div;
  }
  // The first element in error: its section opens and it scrolls into view (the summary when the
  // problem belongs to no item).
  function reveal(target) {
    var section = target.closest(".checklist-section");
    var index = section ? sections.indexOf(section) : sections.length - 1;
    show(index, true);
    target.scrollIntoView({ block: "center" });
  }
  function showErrors(body) {
    clearErrors();
    var errors = body.errors || {};
    var list = alertBox.querySelector(".js-error-list");
    var all = [];
    var first = null;
    list.textContent = "";
    Object.keys(errors).forEach(function (key) {
      var messages = errors[key];
      var item = key.indexOf("item_") === 0 ? form.querySelector("#item-" + key.slice(5)) : null;
      var field = form.querySelector("[data-error-for=" + key + "]");
      if (item) {
        item.classList.add("has-error", "bg-red-lt");
        var box = item.querySelector(".item-errors");
        messages.forEach(function (m) { box.appendChild(line(m)); });
        box.hidden = false;
        first = first || item;
      } else if (field) {
        field.classList.add("is-invalid");
        form.querySelector("[data-feedback-for=" + key + "]").textContent = messages.join(" ");
        first = first || field;
      }
      messages.forEach(function (m) {
        var li = document.createElement("li");
        if (item) {
          var a = document.createElement("a");
          a.href = "#item-" + key.slice(5);
          a.className = "text-reset";
          a.textContent = m;
          li.appendChild(a);
        } else {
          li.textContent = m;
        }
        list.appendChild(li);
        all.push(m);
      });
    });
    alertBox.querySelector(".js-error-message").textContent =
      all.length > 1 ? form.getAttribute("data-msg-count").replace("%(n)s", all.length) : body.message || "";
    list.hidden = all.length < 2;
    alertBox.hidden = false;
    if (first) {
      reveal(first);
    } else {
      window.scrollTo(0, 0);
      alertBox.focus();
    }
  }
  function failed(text) {
    showErrors({ message: text || form.getAttribute("data-msg-failed"), errors: {} });
  }

  // a problem in the summary leads to its item, in whichever section it is
  alertBox.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#item-']");
    var item = link && form.querySelector(link.getAttribute("href"));
    if (!item) return;
    event.preventDefault();
    reveal(item);
  });

  items().forEach(function (item) {
    toggle(item);
    item.addEventListener("change", function () {
      toggle(item);
      item.classList.remove("bg-yellow-lt");
      clearItemError(item);
    });
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
          clearItemError(item);
        }
      });
    });
  });

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !window.FormData) return; // an old browser: the ordinary post
    event.preventDefault();
    if (sending) return;
    sending = true;
    var label = submitButton.textContent;
    submitButton.disabled = true;
    submitButton.textContent = form.getAttribute("data-msg-sending");
    var headers = { Accept: "application/json", "X-Requested-With": "fetch" };
    if (keyField && keyField.value) headers["Idempotency-Key"] = keyField.value;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: headers,
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) throw new Error("HTTP " + response.status);
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok && answer.body.redirect) {
          window.location.assign(answer.body.redirect);
          return;
        }
        showErrors(answer.body);
        sending = false;
        submitButton.disabled = false;
        submitButton.textContent = label;
      })
      .catch(function () {
        failed();
        sending = false;
        submitButton.disabled = false;
        submitButton.textContent = label;
      });
  });

  // after a refusal rendered by the server (no script at submit time), open the section of the
  // first item in error; a problem of no item: the last section (where the submit button is)
  var firstError = form.querySelector(".checklist-item.has-error");
  if (firstError) {
    reveal(firstError);
  } else {
    show(alertBox.hidden ? 0 : sections.length - 1);
  }
})();
