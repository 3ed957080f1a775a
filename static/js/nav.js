// Phone menu: without this script the menu is simply shown. With it, the header gets .js-nav, the
// button appears (CSS, narrow screens only) and toggles the menu through aria-expanded; Escape
// closes it and gives the focus back to the button.
(function () {
  "use strict";
  // Filter panels (<details class="filters-panel">) start folded so that on a phone the list fills
  // the first screen; on a wide screen there is room: open them.
  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details.filters-panel").forEach(function (panel) { panel.open = true; });
  }
  // The section navigation marks the page being shown.
  document.querySelectorAll(".subnav a").forEach(function (link) {
    if (link.pathname === window.location.pathname) link.setAttribute("aria-current", "page");
  });
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".nav-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.hidden = false;
  button.setAttribute("aria-expanded", "false");
  header.classList.add("js-nav");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
