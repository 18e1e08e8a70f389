/* Grid map: draws the user's areas from GeoJSON and shows a card for the clicked grid.
   No tile server needed; a tile layer is added only when the site configures one. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("area-map-config").textContent);
  var mapEl = document.getElementById("map");  /* texts ride on data- attributes: no inline script (CSP) */
  var text = {none: mapEl.dataset.textNone, noStaff: mapEl.dataset.textNoStaff};
  var card = document.getElementById("area-card");
  var map = L.map("map", {zoomSnap: 0.25});
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, {attribution: config.tileAttribution || ""}).addTo(map);
  }
  if (config.bbox) {
    map.fitBounds([[config.bbox[1], config.bbox[0]], [config.bbox[3], config.bbox[2]]]);
  } else {
    map.setView([32.0, 119.5], 10);
  }
  // Outlines above grids would swallow clicks, so towns and villages are drawn but not interactive.
  var CLICKABLE = {grid1: true, grid2: true, special: true};
  var ORDER = {county: 0, town: 1, village: 2, grid1: 3, grid2: 4, special: 5};

  function style(feature) {
    var level = feature.properties.level;
    var colour = config.colours[level] || "#333";
    var clickable = CLICKABLE[level];
    return {color: colour, weight: clickable ? 1.5 : 2.5, fill: clickable,
            fillColor: colour, fillOpacity: level === "special" ? 0.35 : 0.15,
            dashArray: level === "village" ? "6 4" : null,
            className: "area-" + feature.properties.code + " level-" + level};
  }

  function setField(name, value) {
    card.querySelector('[data-field="' + name + '"]').textContent = value;
  }

  function formatArea(m2) {
    if (m2 === null || m2 === undefined) return text.none || "-";
    return m2 >= 1e6 ? (m2 / 1e6).toFixed(2) + " km²" : Math.round(m2) + " m²";
  }

  function showStaff(staff) {
    var box = card.querySelector("[data-staff]");
    var list = card.querySelector('[data-field="staff"]');
    list.textContent = "";
    box.hidden = staff === null || staff === undefined;
    if (box.hidden) return;
    if (!staff.length) {
      var empty = document.createElement("li");
      empty.textContent = text.noStaff || "-";
      list.appendChild(empty);
    }
    staff.forEach(function (person) {
      var li = document.createElement("li");
      li.textContent = person.name + " · " + person.roles.join("、");
      list.appendChild(li);
    });
  }

  function showArea(area) {
    card.querySelector("[data-empty]").hidden = true;
    card.querySelector("[data-error]").hidden = true;
    card.querySelector("[data-body]").hidden = false;
    setField("name", area.name);
    setField("code", area.code);
    setField("level", area.level_label);
    setField("parent", area.parent ? area.parent.name + " (" + area.parent.code + ")" : (text.none || "-"));
    setField("area", formatArea(area.area_m2));
    showStaff(area.staff);
    card.dataset.code = area.code;
    var gf = card.querySelector("[data-gridfile]") || card.querySelector("[data-body]").appendChild(document.createElement("a")); gf.dataset.gridfile = "1"; gf.textContent = "网格档案"; gf.href = "/registry/grids/" + encodeURIComponent(area.code) + "/"; gf.hidden = !CLICKABLE[area.level];
  }

  var selected = null;

  function select(path) {
    if (selected) selected.setStyle(style(selected.feature));
    selected = path;
    path.setStyle({weight: 4, color: "#b71c1c"});
  }

  function openCard(code) {
    fetch(config.api + encodeURIComponent(code), {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(showArea)
      .catch(function () { card.querySelector("[data-error]").hidden = false; });
  }

  var url = config.api + "geojson?levels=" + encodeURIComponent(config.levels) +
            (config.under ? "&under=" + encodeURIComponent(config.under) : "");
  fetch(url, {credentials: "same-origin"})
    .then(function (r) { return r.json(); })
    .then(function (collection) {
      // Deeper levels last, so they lie on top and receive the clicks.
      collection.features.sort(function (a, b) {
        return ORDER[a.properties.level] - ORDER[b.properties.level];
      });
      var layer = L.geoJSON(collection, {
        style: style,
        interactive: true,
        onEachFeature: function (feature, path) {
          if (!CLICKABLE[feature.properties.level]) { path.options.interactive = false; return; }
          path.bindTooltip(feature.properties.name + " " + feature.properties.code, {sticky: true});
          path.on("click", function () { select(path); openCard(feature.properties.code); });
        }
      }).addTo(map);
      if (!config.bbox && collection.features.length) map.fitBounds(layer.getBounds());
      document.getElementById("map").dataset.ready = "1";
    });
})();
