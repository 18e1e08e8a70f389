/* A patrol's track on a map: the simplified line, its start and end, the check-ins; the grid outlines
   behind (no tile server needed; a tile layer only when the site configures one). Names are set as
   text, never as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("patrol-map");
  var source = document.getElementById("patrol-map-config");
  if (!holder || !source || !window.L) return;
  var config = JSON.parse(source.textContent);
  var text = config.text || {};
  var map = L.map(holder, {attributionControl: false, zoomSnap: 0.25});
  L.control.attribution({prefix: false}).addTo(map).addAttribution(text.credit || "Leaflet");
  if (config.tileUrl) L.tileLayer(config.tileUrl, {attribution: config.tileAttribution || ""}).addTo(map);
  var line = (config.track || []).map(function (p) { return [p[1], p[0]]; });
  if (!line.length) return;
  map.fitBounds(line, {padding: [30, 30], maxZoom: 18});  // a view first: Leaflet draws vectors only then
  if (config.outlines && config.outlines.features && config.outlines.features.length) {
    L.geoJSON(config.outlines, {interactive: false, style: function () {
      return {color: "#1565c0", weight: 1, fillOpacity: 0.04};
    }}).addTo(map);
  }
  var track = L.polyline(line, {color: "#c62828", weight: 4, opacity: 0.85, className: "patrol-track"}).addTo(map);
  function dot(at, colour, label, cls) {
    var m = L.circleMarker(at, {radius: 7, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1,
                                className: cls}).addTo(map);
    var box = document.createElement("div");
    box.textContent = label;
    m.bindPopup(box);
    return m;
  }
  dot(line[0], "#2e7d32", text.start || "start", "patrol-start");
  dot(line[line.length - 1], "#37474f", text.end || "end", "patrol-end");
  (config.checkins || []).forEach(function (c) {
    dot([c.lat, c.lng], "#f9a825", (text.checkin || "") + " " + c.name + " " + c.at, "patrol-checkin");
  });
  holder.setAttribute("data-track-points", String(track.getLatLngs().length));
  holder.setAttribute("data-checkins", String((config.checkins || []).length));
})();
