/* Incident maps: the queue's map of running incidents (markers coloured by their time limit, from the
   same filters as the list) and the small map of one incident. No tile server needed: grid outlines
   are drawn as the background; a tile layer is added only when the site configures one. Names and
   numbers are set as text, never as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("incident-map");
  var source = document.getElementById("incident-map-config");
  if (!holder || !source || !window.L) return;
  var config = JSON.parse(source.textContent);
  var text = config.text || {};
  var map = L.map(holder, {attributionControl: false, zoomSnap: 0.25});
  L.control.attribution({prefix: false}).addTo(map).addAttribution(text.credit || "Leaflet");
  if (config.tileUrl) L.tileLayer(config.tileUrl, {attribution: config.tileAttribution || ""}).addTo(map);
  // Leaflet draws vector layers only on a map that has a view: set it first.
  var points = (config.markers || []).map(function (m) { return [m.lat, m.lng]; });
  if (config.point) map.setView([config.point[1], config.point[0]], 16);
  else if (points.length) map.fitBounds(points, {padding: [30, 30], maxZoom: 16});
  else if (config.bbox) map.fitBounds([[config.bbox[1], config.bbox[0]], [config.bbox[3], config.bbox[2]]]);
  else map.setView([32.0, 119.5], 11);
  var outlines = null;
  if (config.outlines && config.outlines.features && config.outlines.features.length) {
    outlines = L.geoJSON(config.outlines, {interactive: false, style: function (f) {
      var village = f.properties.level === "village" || f.properties.level === "town";
      return {color: village ? "#6d4c41" : "#1565c0", weight: village ? 2 : 1, fillOpacity: 0.04,
              dashArray: village ? "6 4" : null};
    }}).addTo(map);
    if (!config.point && !points.length && !config.bbox) map.fitBounds(outlines.getBounds());
  }
  function circle(lat, lng, colour, radius) {
    return L.circleMarker([lat, lng], {radius: radius, color: "#fff", weight: 2, fillColor: colour,
                                       fillOpacity: 0.95});
  }
  if (config.point) {  // one incident
    circle(config.point[1], config.point[0], config.colour || "#1565c0", 10).addTo(map);
    return;
  }
  var bounds = [];
  (config.markers || []).forEach(function (m) {
    var marker = circle(m.lat, m.lng, config.colours[m.light] || config.colours.none, 8).addTo(map);
    marker.options.className = "incident-marker light-" + m.light;
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.title;
    var line = document.createElement("div");
    line.className = "small";
    line.textContent = m.status + " · " + m.grid;
    box.appendChild(link);
    box.appendChild(line);
    marker.bindPopup(box);
    marker.on("click", function () { marker.openPopup(); });
    bounds.push([m.lat, m.lng]);
  });
  holder.setAttribute("data-markers", String(bounds.length));
})();
