// Little JavaScript, on purpose: every page works without it; this only adds comfort.
(function () {
  "use strict";
  // Ask before destructive actions (buttons with data-confirm).
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
