// The batch page follows the pipeline: every 3 s it asks for the pages' statuses and
// updates the table in place, until every page is final. Without this script the page
// refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var summary = document.getElementById("batch-summary");
  if (!summary || summary.getAttribute("data-done") === "true") { return; }
  var url = summary.getAttribute("data-status-url");
  var timer = null;

  function setText(node, text) { if (node) { node.textContent = text || ""; } }

  function update(data) {
    var missing = false;
    data.pages.forEach(function (p) {
      var row = document.querySelector(
        '#pages tr[data-file="' + p.file + '"][data-page="' + p.page + '"]');
      if (!row) { missing = true; return; }
      var cell = row.querySelector("td.status");
      cell.setAttribute("data-status", p.status);
      cell.className = "status status-" + p.status;
      setText(cell, p.label);
      // why the page waits for review or was rejected, in Vietnamese
      setText(row.querySelector("td.reason"), p.explanation);
      var action = row.querySelector("td.action");
      var link = action.querySelector("a.review-link");
      if (p.review_url && !link) {
        link = document.createElement("a");
        link.className = "review-link";
        link.textContent = "Duyệt trang này";
        action.appendChild(link);
      }
      if (link) {
        if (p.review_url) { link.href = p.review_url; } else { action.removeChild(link); }
      }
    });
    if (missing) { window.location.reload(); return; }
    Object.keys(data.counts).forEach(function (s) {
      setText(summary.querySelector('[data-count="' + s + '"]'), String(data.counts[s]));
    });
    var state = document.getElementById("pipeline-state");
    setText(state, data.pipeline_text);
    if (data.pipeline && data.pipeline.running && !data.done) {
      state.setAttribute("data-running", "true");
    } else if (state) {
      state.removeAttribute("data-running");
    }
    if (data.done) {
      summary.setAttribute("data-done", "true");
      if (state) { state.className = "notice"; }
      window.clearInterval(timer);
    }
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.addEventListener("load", function () {
      if (xhr.status === 200) {
        try { update(JSON.parse(xhr.responseText)); } catch (ignored) { /* next poll */ }
      } else if (xhr.status === 401 || xhr.status === 403) {
        window.clearInterval(timer);  // signed out: stop asking
      }
    });
    xhr.send();
  }

  timer = window.setInterval(poll, 3000);
})();
