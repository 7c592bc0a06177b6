// Review pages: keyboard shortcuts and the highlighted box of the field in focus.
// Everything works without this file (forms post, Enter submits, boxes are drawn by the
// server); this only saves a reviewer's hands the trip to the mouse.
(function () {
  "use strict";

  // The fields to check, then those the reader was sure of (folded: reached only once
  // their list is opened).
  var table = document.getElementById("fields");
  var inputs = Array.prototype.slice.call(
    document.querySelectorAll("#fields input[name=value], #sure-table input[name=value]"));
  var image = document.getElementById("page-image");
  function shown(input) { return input.offsetParent !== null; }

  function rowOf(input) { return input.closest("tr[data-field]"); }
  function nameOf(input) { return rowOf(input).getAttribute("data-field"); }
  function dirty(input) { return input.value !== input.getAttribute("data-original"); }

  function highlight(name) {
    document.querySelectorAll("tr[data-field].active").forEach(function (tr) { tr.classList.remove("active"); });
    var row = document.querySelector('tr[data-field="' + name + '"]');
    if (row) { row.classList.add("active"); }
    if (!image || !image.querySelectorAll) { return; }
    image.querySelectorAll("rect.bbox.active").forEach(function (r) { r.classList.remove("active"); });
    var rect = image.querySelector('rect.bbox[data-field="' + name + '"]');
    if (rect) {
      rect.classList.add("active");
      showBox(rect, name);
    }
  }

  // Bring the field's box into view, and show its region magnified under its input.
  function showBox(rect, name) {
    var viewer = window.sohoaViewer;
    if (!viewer) { return; }
    var box = ["x", "y", "width", "height"].map(function (k) { return Number(rect.getAttribute(k)); });
    viewer.showBox(box[0], box[1], box[2], box[3]);
    var row = document.querySelector('tr[data-field="' + name + '"] td.value');
    if (row) {
      var old = document.querySelector("svg.field-zoom");
      if (old && !row.contains(old)) { old.parentNode.removeChild(old); }
      viewer.crop(row, box[0], box[1], box[2], box[3]);
    }
  }

  function move(from, step) {
    for (var i = inputs.indexOf(from) + step; i >= 0 && i < inputs.length; i += step) {
      if (shown(inputs[i])) {
        inputs[i].focus();
        inputs[i].select();
        return;
      }
    }
  }

  inputs.forEach(function (input) {
    input.addEventListener("focus", function () { highlight(nameOf(input)); });
    input.addEventListener("input", function () {
      rowOf(input).classList.toggle("dirty", dirty(input));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        input.value = input.getAttribute("data-original");
        rowOf(input).classList.remove("dirty");
      } else if (event.key === "Enter" && !event.ctrlKey && !dirty(input)) {
        event.preventDefault(); // nothing changed: go on rather than save the same value
        move(input, 1);
      }
    });
  });

  if (image && image.querySelectorAll) {
    image.querySelectorAll("rect.bbox").forEach(function (rect) {
      rect.addEventListener("click", function () {
        var input = document.getElementById("value-" + rect.getAttribute("data-field"));
        if (input && !input.disabled) { input.focus(); input.select(); }
      });
    });
  }

  // Confirming with an edit not yet saved would confirm the old value: say so instead.
  var confirmForm = document.getElementById("confirm-form");
  var unsaved = document.getElementById("unsaved");
  if (confirmForm) {
    confirmForm.addEventListener("submit", function (event) {
      var pending = inputs.filter(dirty);
      if (pending.length) {
        event.preventDefault();
        if (unsaved) { unsaved.hidden = false; }
        pending[0].focus();
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    var active = document.activeElement;
    if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      if (inputs.indexOf(active) >= 0) {
        event.preventDefault();
        move(active, event.key === "ArrowDown" ? 1 : -1);
      } else if (inputs.filter(shown).length) {
        event.preventDefault();
        inputs.filter(shown)[0].focus();
      }
    } else if (event.ctrlKey && event.key === "Enter" && confirmForm) {
      event.preventDefault();
      if (confirmForm.requestSubmit) { confirmForm.requestSubmit(); } else { confirmForm.submit(); }
    } else if (event.altKey && (event.key === "r" || event.key === "R")) {
      var reason = document.getElementById("reject-reason");
      if (reason) { event.preventDefault(); reason.focus(); }
    } else if (event.altKey && (event.key === "PageDown" || event.key === "PageUp")) {
      var link = document.getElementById(event.key === "PageDown" ? "next-item" : "previous-item");
      if (link) { event.preventDefault(); window.location.assign(link.href); }
    } else if (event.altKey && (event.key === "m" || event.key === "M")) {
      var manual = document.getElementById("manual-entry");
      if (manual) { event.preventDefault(); window.location.assign(manual.href); }
    }
  });

  // Start where the server says (the field after the one just saved, or the first one
  // that failed a check).
  var first = inputs.filter(shown)[0];
  if (first && !first.disabled) {
    var start = table && document.getElementById("value-" + table.getAttribute("data-focus"));
    start = start && shown(start) ? start : first;
    start.focus();
    start.select();
  }
})();
