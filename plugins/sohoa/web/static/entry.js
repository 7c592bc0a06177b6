// Manual entry ("Nhập tay"): fewer keys for the same record. Without this file the form
// still works: every value typed in full, the server checks it and says what is wrong.
//
// - type-ahead without diacritics for places (the server's unit lists), ethnic groups,
//   nationalities and the sex; free text stays possible (Esc closes the list);
// - dates typed as 29052000, 29/5/2000 or 29-05-2000 are shown as 29/05/2000;
// - "=" in an empty residence copies the other parent's (or spouse's);
// - Enter goes to the next input, Ctrl+Enter saves;
// - after each change the server says what its checks find (the rules are not repeated
//   here), shown beside the inputs before anything is saved.
(function () {
  "use strict";

  var form = document.getElementById("manual-form");
  if (!form) { return; }
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var inputs = Array.prototype.slice.call(form.querySelectorAll(".manual-fields input[type=text]"));
  var byName = {};
  inputs.forEach(function (input) { byName[input.name] = input; });
  var touched = {};
  // Notes are shown for inputs the clerk has left, or all of them once the server has
  // refused the record (the page then comes with them).
  var submitted = !!form.querySelector(".has-error, .has-warning, #overrides");

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/-/g, " ").replace(/\s+/g, " ").trim();
  }

  function words(text) { return fold(text).split(" ").filter(Boolean); }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); });
  }

  function focusNext(input, step) {
    var i = inputs.indexOf(input) + (step || 1);
    if (i >= 0 && i < inputs.length) {
      inputs[i].focus();
      inputs[i].select();
      return true;
    }
    return false;
  }

  function submit() {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // --- suggestions --------------------------------------------------------------------

  // A list of choices under an input. ``source(text)`` gives a promise of [{text, hint}].
  function Combo(input, source) {
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.removeAttribute("list"); // the browser's own list matches diacritics exactly
    var items = [];
    var active = -1;
    var pending = null;
    var asked = 0;

    function render() {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.textContent = item.text;
        if (i === active) { li.className = "active"; li.setAttribute("aria-selected", "true"); }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          accept(item);
        });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function close() { items = []; active = -1; render(); }

    function accept(item) {
      input.value = item.text;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function ask() {
      var text = input.value;
      var mine = ++asked;
      if (!fold(text.split(",").pop())) { pending = null; close(); return; }
      pending = Promise.resolve(source(text)).then(function (found) {
        if (mine !== asked) { return; }
        items = found;
        active = found.length ? 0 : -1;
        render();
      }).catch(function () { if (mine === asked) { close(); } })
        .then(function () { if (mine === asked) { pending = null; } });
    }

    input.addEventListener("input", ask);
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if ((key === "Tab" || key === "Enter") && !event.ctrlKey && pending) {
        // The letters went faster than the answer: wait for it, then go on as asked.
        event.preventDefault();
        event.stopImmediatePropagation();
        var back = event.shiftKey;
        pending.then(function () {
          if (active >= 0) { accept(items[active]); }
          focusNext(input, back ? -1 : 1) || (key === "Enter" && submit());
        });
        return;
      }
      if (list.hidden) { return; }
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        active = (active + (key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        render();
      } else if ((key === "Enter" || key === "Tab") && active >= 0 && !event.ctrlKey) {
        if (key === "Enter") { event.preventDefault(); }
        accept(items[active]);
        if (key === "Enter") {
          event.stopImmediatePropagation();
          focusNext(input, 1) || submit();
        }
      } else if (key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  // A closed list from a <datalist>: each typed word starts a word of the choice (or of
  // another spelling of it, data-also), the choice's first word first.
  function localSource(listId) {
    var options = Array.prototype.slice.call(document.querySelectorAll("#" + listId + " option"));
    var choices = options.map(function (o, i) {
      return {
        text: o.value,
        words: words(o.value),
        also: words(o.getAttribute("data-also") || ""),
        order: i
      };
    });
    return function (text) {
      var typed = words(text);
      var found = choices.filter(function (c) {
        return typed.every(function (t) {
          return c.words.concat(c.also).some(function (w) { return w.indexOf(t) === 0; });
        });
      });
      found.sort(function (a, b) {
        var fa = a.words[0].indexOf(typed[0]) === 0 ? 0 : 1;
        var fb = b.words[0].indexOf(typed[0]) === 0 ? 0 : 1;
        return fa - fb || a.order - b.order;
      });
      return found.slice(0, 8);
    };
  }

  var eras = (form.getAttribute("data-eras") || "legacy current").split(" ");
  function placeSource(text) {
    return postJSON(form.getAttribute("data-places-url"), { q: text, eras: eras })
      .then(function (answer) { return answer.places; });
  }

  inputs.forEach(function (input) {
    var kind = input.getAttribute("data-kind");
    var listId = input.getAttribute("data-options");
    if (listId) { Combo(input, localSource(listId)); }
    if (kind === "place") { Combo(input, placeSource); }
  });

  // --- dates, copies, moving on ---------------------------------------------------------

  function tidyDate(input) {
    var v = input.value.trim();
    var m = /^(\d{2})(\d{2})(\d{4})$/.exec(v) || /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(v);
    if (m) {
      input.value = ("0" + m[1]).slice(-2) + "/" + ("0" + m[2]).slice(-2) + "/" + m[3];
    }
  }

  function setEras(input) {
    var m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(input.value);
    if (!m) { eras = (form.getAttribute("data-eras") || "legacy current").split(" "); return; }
    var iso = m[3] + "-" + m[2] + "-" + m[1];
    eras = iso < "2025-07-01" ? ["legacy"] : ["current"];
  }

  inputs.forEach(function (input) {
    var kind = input.getAttribute("data-kind");
    if (kind === "date") {
      input.addEventListener("input", function () {
        if (/^\d{8}$/.test(input.value)) { tidyDate(input); }
      });
      input.addEventListener("change", function () {
        tidyDate(input);
        if (input.name === "registration_date") { setEras(input); }
      });
    }
    var from = input.getAttribute("data-copy-from");
    if (from) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "=" && !input.value) {
          event.preventDefault();
          copyInto(input);
        }
      });
    }
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.defaultPrevented) { return; }
      event.preventDefault();
      if (event.ctrlKey || !focusNext(input, 1)) { submit(); }
    });
    input.addEventListener("blur", function () {
      touched[input.name] = true;
      scheduleCheck();
    });
  });

  function copyInto(input) {
    var source = document.getElementById(input.getAttribute("data-copy-from"));
    if (source && source.value) {
      input.value = source.value;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  Array.prototype.forEach.call(form.querySelectorAll("button[data-copy-to]"), function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy-to"));
      if (input) { copyInto(input); input.focus(); }
    });
  });

  // A parent (or spouse) without a name keeps none of the book's defaults: shown dimmed.
  function markUnused() {
    inputs.forEach(function (input) {
      var block = input.closest("label").getAttribute("data-block");
      if (!block || !input.hasAttribute("data-default")) { return; }
      var name = byName[block + "name"] || byName[block + "full_name"];
      var unused = name && !name.value.trim() && input.value === input.getAttribute("data-default");
      input.closest("label").classList.toggle("unused-default", !!unused);
    });
  }

  // Changing the document type or the form's generation shows that form, keeping what
  // was typed (the server sees the change and saves nothing).
  ["doc_type", "generation"].forEach(function (id) {
    var select = document.getElementById(id);
    if (select) { select.addEventListener("change", function () { form.submit(); }); }
  });

  // --- the server's checks, before anything is saved ----------------------------------

  var checkTimer = null;
  var checked = 0;
  function scheduleCheck() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(runCheck, 250);
  }

  function values() {
    var out = {};
    inputs.forEach(function (input) { out[input.name] = input.value; });
    return out;
  }

  function runCheck() {
    var mine = ++checked;
    var doc = document.getElementById("doc_type");
    var gen = document.getElementById("generation");
    postJSON(form.getAttribute("data-check-url"), {
      doc_type: doc ? doc.value : "",
      generation: gen ? gen.value : "new",
      values: values()
    }).then(function (answer) {
      if (mine === checked) { showChecks(answer); }
    }).catch(function () { /* the server still checks when the record is saved */ });
  }

  function showChecks(answer) {
    inputs.forEach(function (input) {
      var name = input.name;
      var seen = touched[name] || submitted;
      var error = seen ? (answer.errors[name] || "") : "";
      var warning = seen && answer.warnings[name] ? "Cảnh báo: " + answer.warnings[name].text : "";
      setNote(form.querySelector('[data-error-for="' + name + '"]'), error);
      setNote(form.querySelector('[data-warning-for="' + name + '"]'), warning);
      var label = input.closest("label");
      label.classList.toggle("has-error", !!error);
      label.classList.toggle("has-warning", !error && !!warning);
    });
    var shown = {};
    Object.keys(answer.warnings).forEach(function (key) {
      if (touched[key] || submitted || !byName[key]) { shown[key] = answer.warnings[key]; }
    });
    showOverrides(shown);
  }

  function setNote(element, text) {
    if (!element) { return; }
    element.textContent = text;
    element.hidden = !text;
  }

  // The warnings, each to tick "the page says so", with one reason: kept as ticked.
  function showOverrides(warnings) {
    var slot = document.getElementById("overrides-slot");
    if (!slot) { return; }
    var ticked = {};
    Array.prototype.forEach.call(slot.querySelectorAll("input[name=override]:checked"), function (c) {
      ticked[c.value] = true;
    });
    var reasonInput = document.getElementById("override-reason");
    var reason = reasonInput ? reasonInput.value : "";
    var keys = Object.keys(warnings);
    slot.innerHTML = "";
    if (!keys.length) { return; }
    var set = document.createElement("fieldset");
    set.className = "overrides";
    set.id = "overrides";
    var legend = document.createElement("legend");
    legend.textContent = "Cảnh báo: nếu trang ghi đúng như vậy, đánh dấu và ghi lý do để vẫn nạp";
    set.appendChild(legend);
    keys.forEach(function (key) {
      var label = document.createElement("label");
      label.className = "override";
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = "override";
      box.value = key;
      box.checked = !!ticked[key];
      box.setAttribute("data-check", warnings[key].rule);
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + warnings[key].label + ": " + warnings[key].text));
      set.appendChild(label);
    });
    var why = document.createElement("label");
    why.textContent = "Lý do (ghi vào lịch sử thay đổi)";
    var input = document.createElement("input");
    input.type = "text";
    input.name = "override_reason";
    input.id = "override-reason";
    input.maxLength = 1000;
    input.autocomplete = "off";
    input.value = reason;
    why.appendChild(input);
    set.appendChild(why);
    slot.appendChild(set);
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches(".manual-fields input")) {
      markUnused();
      scheduleCheck();
    }
  });
  form.addEventListener("submit", function () { submitted = true; });

  markUnused();
  var firstWrong = form.querySelector(".has-error input");
  var start = firstWrong || inputs[0];
  if (start && !start.disabled) { start.focus(); start.select(); }
})();
