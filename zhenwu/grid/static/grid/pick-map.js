/* The report forms' map: a tap (or "use my position") sets the pin and fills longitude and latitude;
   dragging the pin corrects it. On the staff form, open incidents of the same category near the pin
   are fetched and offered to merge into before filing. Text is set as text, never as HTML. */
(function () {
  "use strict";
  var holder = document.getElementById("pick-map");
  var source = document.getElementById("pick-map-config");
  if (!holder || !source || !window.L) return;
  var config = JSON.parse(source.textContent);
  var text = config.text || {};
  var lngInput = document.getElementById("id_lng");
  var latInput = document.getElementById("id_lat");
  var category = document.getElementById("id_category");
  var map = L.map(holder, {attributionControl: false, zoomSnap: 0.25});
  L.control.attribution({prefix: false}).addTo(map).addAttribution(text.credit || "Leaflet");
  if (config.tileUrl) L.tileLayer(config.tileUrl, {attribution: config.tileAttribution || ""}).addTo(map);
  // Leaflet draws vector layers only on a map that has a view: set it first.
  var outlines = null;
  var shapes = config.outlines && config.outlines.features && config.outlines.features.length ? config.outlines : null;
  if (config.bbox) map.fitBounds([[config.bbox[1], config.bbox[0]], [config.bbox[3], config.bbox[2]]]);
  else if (shapes) map.fitBounds(L.geoJSON(shapes).getBounds());
  else map.setView([32.0, 119.5], 12);
  if (shapes) {
    outlines = L.geoJSON(shapes, {interactive: false, style: function (f) {
      var big = f.properties.level === "village" || f.properties.level === "town";
      return {color: big ? "#6d4c41" : "#1565c0", weight: big ? 2 : 1, fillOpacity: 0.04};
    }, onEachFeature: function (f, layer) {
      if (f.properties.level === "village") {
        layer.bindTooltip(f.properties.name, {permanent: true, direction: "center", className: "area-name"});
      }
    }}).addTo(map);
  }
  var pin = null;

  function place(lat, lng, move) {
    if (!pin) {
      pin = L.marker([lat, lng], {draggable: true}).addTo(map);
      pin.on("dragend", function () { var p = pin.getLatLng(); place(p.lat, p.lng, false); });
    } else {
      pin.setLatLng([lat, lng]);
    }
    lngInput.value = lng.toFixed(6);
    latInput.value = lat.toFixed(6);
    if (move) map.setView([lat, lng], Math.max(map.getZoom(), 15));
    nearby();
  }
  map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); });
  var lng0 = parseFloat(lngInput.value), lat0 = parseFloat(latInput.value);
  if (isFinite(lng0) && isFinite(lat0)) place(lat0, lng0, true);
  function typed() {
    var lng = parseFloat(lngInput.value), lat = parseFloat(latInput.value);
    if (isFinite(lng) && isFinite(lat)) place(lat, lng, true);
  }
  lngInput.addEventListener("change", typed);
  latInput.addEventListener("change", typed);
  var gps = document.getElementById("use-gps");
  if (gps) {
    if (!navigator.geolocation) gps.hidden = true;
    gps.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        place(p.coords.latitude, p.coords.longitude, true);
      }, function () {}, {enableHighAccuracy: true, timeout: 10000});
    });
  }
  if (category) category.addEventListener("change", nearby);

  // Staff form only: offer open incidents of the same category nearby.
  var box = document.getElementById("nearby");
  var checked = document.getElementById("id_checked");
  function nearby() {
    if (!config.duplicatesApi || !box || !category || !category.value || !lngInput.value || !latInput.value) return;
    var url = config.duplicatesApi + "?category=" + encodeURIComponent(category.value) +
              "&lng=" + encodeURIComponent(lngInput.value) + "&lat=" + encodeURIComponent(latInput.value);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        var list = box.querySelector("[data-list]");
        list.textContent = "";
        rows.forEach(function (row) {
          var li = document.createElement("li");
          var label = document.createElement("label");
          var radio = document.createElement("input");
          radio.type = "radio"; radio.name = "merge_into"; radio.value = row.number;
          label.appendChild(radio);
          var metres = row.distance_m === null ? "" : " · " + Math.round(row.distance_m) + " " + (text.metres || "m");
          label.appendChild(document.createTextNode(" " + row.number + " · " + row.category_name + " · " +
                                                    row.status_label + metres));
          var small = document.createElement("div");
          small.className = "small muted";
          small.textContent = (row.address || "") + " " + (row.description || "").slice(0, 40);
          label.appendChild(small);
          li.appendChild(label);
          list.appendChild(li);
        });
        box.hidden = rows.length === 0;
        if (checked) checked.value = "1";  // the reporter has seen what is nearby
      })
      .catch(function () {});
  }
})();
