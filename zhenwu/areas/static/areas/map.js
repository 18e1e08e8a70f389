/* Grid map: draws the user's areas from GeoJSON, writes each grid's name on it and shows a card for
   the clicked grid. No tile server needed; a tile layer is added only when the site configures one.

   Area names are data typed by people: they are always set as text (textContent), never as HTML —
   in the labels, the tooltips and the card. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("area-map-config").textContent);
  var text = config.text || window.AREA_MAP_TEXT || {};
  var card = document.getElementById("area-card");
  var map = L.map("map", {zoomSnap: 0.25, attributionControl: false});
  // A plain credit instead of Leaflet's default prefix (a link with a flag).
  var credit = L.control.attribution({prefix: false}).addTo(map);
  credit.addAttribution(text.credit || "Leaflet");
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
  var LABEL_MIN_PX = 40;  // a name is written on a grid only when the grid is as wide as the name on screen

  function style(feature) {
    var level = feature.properties.level;
    var colour = config.colours[level] || "#333";
    var clickable = CLICKABLE[level];
    return {color: colour, weight: clickable ? 1.5 : 2.5, fill: clickable,
            fillColor: colour, fillOpacity: level === "special" ? 0.35 : 0.15,
            dashArray: level === "village" ? "6 4" : null,
            className: "area-" + feature.properties.code + " level-" + level};
  }

  function nameElement(properties, withCode) {
    var box = document.createElement("span");
    box.textContent = properties.name;
    if (withCode) {
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = " " + properties.code;
      box.appendChild(code);
    }
    return box;
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
    setField("parent", area.parent ? area.parent.name + "（" + area.parent.code + "）" : (text.none || "-"));
    setField("area", formatArea(area.area_m2));
    showStaff(area.staff);
    card.dataset.code = area.code;
    var file = card.querySelector("[data-gridfile]");
    file.href = config.gridFile.replace("CODE", encodeURIComponent(area.code));
    file.hidden = !CLICKABLE[area.level];
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

  var labelled = [];

  function placeLabels() {
    labelled.forEach(function (path) {
      var bounds = path.getBounds();
      var west = map.latLngToContainerPoint(bounds.getSouthWest());
      var east = map.latLngToContainerPoint(bounds.getNorthEast());
      if (!path.isTooltipOpen()) path.openTooltip();
      var label = path.getTooltip().getElement();
      var need = Math.max(LABEL_MIN_PX, label ? label.offsetWidth * 0.95 : 0);
      if (Math.abs(east.x - west.x) < need) path.closeTooltip();
    });
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
          var level = feature.properties.level;
          if (!CLICKABLE[level]) { path.options.interactive = false; return; }
          // Level-1 grids carry no label of their own: their level-2 grids fill them.
          var permanent = level !== "grid1";
          path.bindTooltip(nameElement(feature.properties, !permanent),
                           {sticky: !permanent, permanent: permanent, direction: "center",
                            className: "area-label level-" + level});
          if (permanent) labelled.push(path);
          path.on("click", function () { select(path); openCard(feature.properties.code); });
        }
      }).addTo(map);
      if (!config.bbox && collection.features.length) map.fitBounds(layer.getBounds());
      placeLabels();
      map.on("zoomend", placeLabels);
      document.getElementById("map").dataset.ready = "1";
    });
})();
