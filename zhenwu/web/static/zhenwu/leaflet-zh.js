// Leaflet's own words (the zoom buttons' tooltips) in the page's language: the template passes them in
// data attributes of this script tag, written after leaflet.js and before any map is made.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.L || !L.Control || !L.Control.Zoom) return;
  var options = L.Control.Zoom.prototype.options;
  options.zoomInTitle = me.getAttribute("data-zoom-in") || options.zoomInTitle;
  options.zoomOutTitle = me.getAttribute("data-zoom-out") || options.zoomOutTitle;
})();
