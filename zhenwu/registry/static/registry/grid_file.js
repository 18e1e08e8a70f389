/* Grid file: draws the grid (and its sub-grids) from the areas GeoJSON API on a small map. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("grid-file-config").textContent);
  var map = L.map("grid-map", {zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: false});
  L.control.attribution({prefix: false}).addAttribution(config.credit || "Leaflet").addTo(map);  // a plain credit
  map.setView([32.0, 119.5], 12);
  fetch(config.geojson, {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (f) {
          var own = f.properties.code === config.code;
          return {color: own ? "#b71c1c" : "#1565c0", weight: own ? 3 : 1.5, fillOpacity: own ? 0.12 : 0.05};
        },
        onEachFeature: function (f, path) {
          // The name is data: set as text, never parsed as HTML.
          var label = document.createElement("span");
          label.textContent = f.properties.name + " " + f.properties.code;
          path.bindTooltip(label);
        }
      }).addTo(map);
      if (collection.features.length) map.fitBounds(layer.getBounds());
      document.getElementById("grid-map").dataset.ready = "1";
    })
    .catch(function () { document.getElementById("grid-map").dataset.ready = "error"; });
})();
