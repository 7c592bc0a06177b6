// The page viewer of the review pages: zoom (wheel, + and −, buttons), pan (drag, arrows),
// a quarter turn kept for the page (in this browser), the page upright as the reader read
// it. Zooming past the first image's resolution loads the page at its own size, so that
// "đân" can be told from "dân". Other scripts call window.sohoaViewer to bring a field's
// box into view and to show its region magnified beside its input.
(function () {
  "use strict";

  var viewer = document.getElementById("viewer");
  if (!viewer) { return; }
  var frame = document.getElementById("viewer-frame");
  var svg = document.getElementById("page-image");
  var layer = document.getElementById("page-layer");
  var picture = layer.querySelector("image");
  var label = document.getElementById("zoom-level");
  var W = Number(viewer.getAttribute("data-width"));
  var H = Number(viewer.getAttribute("data-height"));
  var upright = Number(viewer.getAttribute("data-rotation")) || 0;
  var storeKey = "sohoa-turn-" + viewer.getAttribute("data-item");
  var extra = 0;
  try { extra = Number(window.localStorage.getItem(storeKey)) || 0; } catch (e) { extra = 0; }
  var view = { scale: 1, cx: 0, cy: 0 };
  var crops = []; // the magnified regions shown (their magnification follows the zoom)
  var size = { w: W, h: H }; // of the turned page
  var full = false;
  var FIRST_WIDTH = 1600; // the first image's width at most (page_images.MAX_WIDTH)

  function turn() { return (upright + extra) % 360; }

  // A point of the page as uploaded, in the turned page's coordinates.
  function point(x, y) {
    switch (turn()) {
      case 90: return [H - y, x];
      case 180: return [W - x, H - y];
      case 270: return [y, W - x];
      default: return [x, y];
    }
  }

  function turnedBox(x, y, w, h) {
    var a = point(x, y), b = point(x + w, y + h);
    return {
      x: Math.min(a[0], b[0]), y: Math.min(a[1], b[1]),
      w: Math.abs(b[0] - a[0]), h: Math.abs(b[1] - a[1])
    };
  }

  function applyTurn() {
    var r = turn();
    var transform = {
      0: "",
      90: "translate(" + H + " 0) rotate(90)",
      180: "translate(" + W + " " + H + ") rotate(180)",
      270: "translate(0 " + W + ") rotate(270)"
    }[r];
    if (transform) { layer.setAttribute("transform", transform); } else { layer.removeAttribute("transform"); }
    size = r % 180 ? { w: H, h: W } : { w: W, h: H };
    viewer.setAttribute("data-turn", String(r));
  }

  function frameSize() { return { w: frame.clientWidth || 1, h: frame.clientHeight || 1 }; }

  function limits() {
    var f = frameSize();
    return { min: Math.min(f.w / size.w, f.h / size.h) * 0.5, max: 4 };
  }

  function clamp() {
    var f = frameSize();
    var halfW = f.w / view.scale / 2, halfH = f.h / view.scale / 2;
    view.cx = halfW * 2 >= size.w ? size.w / 2 : Math.min(Math.max(view.cx, halfW), size.w - halfW);
    view.cy = halfH * 2 >= size.h ? size.h / 2 : Math.min(Math.max(view.cy, halfH), size.h - halfH);
  }

  function render() {
    var f = frameSize();
    var vw = f.w / view.scale, vh = f.h / view.scale;
    svg.setAttribute("viewBox", [view.cx - vw / 2, view.cy - vh / 2, vw, vh].join(" "));
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    viewer.setAttribute("data-scale", view.scale.toFixed(3));
    if (label) { label.textContent = Math.round(view.scale * 100) + " %"; }
    refreshCrops();
    if (view.scale * Math.max(W, H) > Math.min(W, FIRST_WIDTH) * 1.05) { loadFull(); }
  }

  function loadFull() {
    var url = viewer.getAttribute("data-full");
    if (full || !url || W <= FIRST_WIDTH) { full = true; return; }
    full = true;
    var img = new Image();
    img.onload = function () { picture.setAttribute("href", url); viewer.setAttribute("data-full-loaded", "true"); };
    img.src = url;
  }

  function fitWidth() {
    var f = frameSize();
    view.scale = f.w / size.w;
    view.cx = size.w / 2;
    view.cy = f.h / view.scale / 2; // the top of the page
    clamp();
    render();
  }

  function actual() { zoomTo(1, frameSize().w / 2, frameSize().h / 2); }

  function zoomTo(scale, px, py) {
    var f = frameSize();
    var lim = limits();
    scale = Math.min(Math.max(scale, lim.min), lim.max);
    var x = view.cx + (px - f.w / 2) / view.scale;
    var y = view.cy + (py - f.h / 2) / view.scale;
    view.scale = scale;
    view.cx = x - (px - f.w / 2) / scale;
    view.cy = y - (py - f.h / 2) / scale;
    clamp();
    render();
  }

  function zoom(factor, px, py) {
    var f = frameSize();
    zoomTo(view.scale * factor, px === undefined ? f.w / 2 : px, py === undefined ? f.h / 2 : py);
  }

  function pan(dx, dy) {
    view.cx += dx / view.scale;
    view.cy += dy / view.scale;
    clamp();
    render();
  }

  function rotate() {
    extra = (extra + 90) % 360;
    try { window.localStorage.setItem(storeKey, String(extra)); } catch (e) { /* not kept */ }
    applyTurn();
    fitWidth();
    refreshCrops();
  }

  // Bring a box of the page (as uploaded) into view, centring it when it is not.
  function showBox(x, y, w, h) {
    var b = turnedBox(x, y, w, h);
    var f = frameSize();
    var vw = f.w / view.scale, vh = f.h / view.scale;
    var left = view.cx - vw / 2, top = view.cy - vh / 2;
    if (b.x < left || b.y < top || b.x + b.w > left + vw || b.y + b.h > top + vh) {
      view.cx = b.x + b.w / 2;
      view.cy = b.y + b.h / 2;
      clamp();
      render();
    }
  }

  // The region of a box, magnified in ``container`` (beside a field's input).
  function crop(container, x, y, w, h) {
    var zoomed = container.querySelector("svg.field-zoom");
    if (!zoomed) {
      zoomed = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      zoomed.setAttribute("class", "field-zoom");
      zoomed.setAttribute("role", "img");
      zoomed.setAttribute("aria-label", "Vùng của trường trên trang, phóng to");
      var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
      use.setAttribute("href", "#page-layer");
      zoomed.appendChild(use);
      container.appendChild(zoomed);
    }
    zoomed.setAttribute("data-box", [x, y, w, h].join(" "));
    crops = crops.filter(function (c) { return c.isConnected && c !== zoomed; });
    crops.push(zoomed);
    fitCrop(zoomed);
    loadFull();
    return zoomed;
  }

  function fitCrop(zoomed) {
    var box = zoomed.getAttribute("data-box").split(" ").map(Number);
    var b = turnedBox(box[0], box[1], box[2], box[3]);
    var pad = Math.max(b.h * 0.6, 12);
    var vb = [b.x - pad, b.y - pad, b.w + 2 * pad, b.h + 2 * pad];
    zoomed.setAttribute("viewBox", vb.join(" "));
    zoomed.setAttribute("preserveAspectRatio", "xMinYMid meet");
    var width = zoomed.clientWidth || zoomed.parentNode.clientWidth || 300;
    zoomed.style.height = Math.min(Math.round(width * vb[3] / vb[2]), 112) + "px";
    zoomed.setAttribute("data-magnified", (Math.min(width / vb[2], 112 / vb[3]) / view.scale).toFixed(2));
  }

  function refreshCrops() { crops.filter(function (c) { return c.isConnected; }).forEach(fitCrop); }

  // --- input ------------------------------------------------------------------------------

  frame.addEventListener("wheel", function (event) {
    event.preventDefault();
    var r = frame.getBoundingClientRect();
    zoom(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });

  var drag = null;
  frame.addEventListener("mousedown", function (event) {
    if (event.button !== 0) { return; }
    drag = { x: event.clientX, y: event.clientY, moved: false };
  });
  window.addEventListener("mousemove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
    drag.moved = true;
    frame.classList.add("dragging");
    pan(-dx, -dy);
    drag.x = event.clientX;
    drag.y = event.clientY;
  });
  window.addEventListener("mouseup", function () {
    if (drag && drag.moved) {
      // The click that ends a drag does not pick a field box.
      frame.addEventListener("click", function stop(e) { e.stopPropagation(); e.preventDefault(); }, { capture: true, once: true });
    }
    drag = null;
    frame.classList.remove("dragging");
  });

  var STEP = 80;
  function act(name) {
    if (name === "in") { zoom(1.25); }
    else if (name === "out") { zoom(1 / 1.25); }
    else if (name === "width") { fitWidth(); }
    else if (name === "actual") { actual(); }
    else if (name === "rotate") { rotate(); }
  }

  frame.addEventListener("keydown", function (event) {
    var keys = {
      "+": "in", "=": "in", "-": "out", "0": "width", "1": "actual", "r": "rotate", "R": "rotate"
    };
    var moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
    if (event.altKey || event.ctrlKey) { return; }
    if (keys[event.key]) { event.preventDefault(); act(keys[event.key]); }
    else if (moves[event.key]) { event.preventDefault(); pan(moves[event.key][0], moves[event.key][1]); }
  });

  // From anywhere on the page (the cursor stays in its input): Alt with + − 0 or X.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey) { return; }
    var name = { "+": "in", "=": "in", "-": "out", "0": "width", "x": "rotate", "X": "rotate" }[event.key];
    if (name) { event.preventDefault(); act(name); }
  });

  Array.prototype.forEach.call(viewer.querySelectorAll("[data-view]"), function (button) {
    button.addEventListener("click", function () { act(button.getAttribute("data-view")); });
  });

  window.addEventListener("resize", function () { clamp(); render(); refreshCrops(); });

  applyTurn();
  fitWidth();
  window.sohoaViewer = { showBox: showBox, crop: crop, zoom: zoom, rotate: rotate };
})();
