/* The grid worker's phone app (/m/): sign in once, report with photos and GPS, tasks, the grid's map,
   patrols with their GPS track, check-ins and visits — all of it usable offline.

   Writes never go straight to the server: they are put in the outbox (store.js) with an Idempotency-Key
   chosen once, and sync() sends them in order whenever the network is there (at start, on the "online"
   event, after each new write, and on a retry timer with back-off). Reads are cached in localStorage so
   the lists and the map still show the last copy offline. Every sentence shown comes from the page's
   config (translated by Django); data is always set as text, never as HTML. */
(function () {
  "use strict";
  var C = JSON.parse(document.getElementById("m-config").textContent);
  var T = C.text;
  var S = Object.create(window.ZwStore);
  // Every queued write carries the account that made it: another account signed in later never sends it.
  S.add = function (op) {
    op.user = me ? me.username : null;
    return window.ZwStore.add(op);
  };
  var SCREENS = ["report", "tasks", "map", "patrol", "visit", "enforce", "me"];
  var token = localStorage.getItem("zw.token");
  var me = JSON.parse(localStorage.getItem("zw.user") || "null");
  var here = null;            // the last GPS fix {lng, lat, accuracy, t}
  var pin = null;             // the report's pin when placed by hand {lng, lat}
  var patrol = JSON.parse(localStorage.getItem("zw.patrol") || "null");  // {client, started, lastT, n, metres, last}
  var syncing = false, again = false, retryTimer = null, backoff = 5000, flushTimer = null, watchId = null;

  function fmt(s, p) { return String(s).replace(/%\((\w+)\)s/g, function (_, k) { return p[k]; }); }
  function $(sel, root) { return (root || document).querySelector(sel); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function say(node, text, bad) {
    if (!node) return;
    node.textContent = text || "";
    node.classList.toggle("bad", !!bad);
  }
  function cacheGet(k) { try { return JSON.parse(localStorage.getItem("zw.cache." + k)); } catch (e) { return null; } }
  function cacheSet(k, v) { localStorage.setItem("zw.cache." + k, JSON.stringify(v)); }
  function metres(a, b) {
    var kx = 111195 * Math.cos((a.lat + b.lat) / 2 * Math.PI / 180), ky = 111195;
    return Math.sqrt(Math.pow((b.lng - a.lng) * kx, 2) + Math.pow((b.lat - a.lat) * ky, 2));
  }
  function localDay() {
    var d = new Date(), m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  function errorText(body) {
    var errors = (body && body.errors) || [];
    return errors.map(function (e) { return e.message; }).join("；") || T.network_error;
  }

  // ------------------------------------------------------------------ API

  function api(path, options) {
    options = options || {};
    var headers = options.headers || {};
    if (token) headers.Authorization = "Bearer " + token;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    return fetch(C.api + path, {method: options.method || "GET", headers: headers, body: options.body,
                                credentials: "omit", cache: "no-store"});
  }

  function getJSON(path, cacheKey) {
    return api(path).then(function (r) {
      if (r.status === 401) { signOut(); throw new Error("401"); }
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (data) {
      if (cacheKey) cacheSet(cacheKey, data);
      return {data: data, cached: false};
    }).catch(function (err) {
      var cached = cacheKey ? cacheGet(cacheKey) : null;
      if (cached === null) throw err;
      return {data: cached, cached: true};
    });
  }

  // ------------------------------------------------------------------ screens

  function show() {
    var name = (location.hash || "#report").slice(1);
    if (!token) name = "login";
    else if (SCREENS.indexOf(name) < 0) name = "report";
    document.querySelectorAll(".screen").forEach(function (s) { s.hidden = s.id !== "screen-" + name; });
    document.querySelectorAll(".tabs a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + name) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
    document.querySelector(".tabs").hidden = !token;
    $("#who").textContent = me ? me.full_name || me.username : "";
    // Tabs of a role (the enforcement officer's) show only for those who hold it.
    document.querySelectorAll(".tabs a[data-role]").forEach(function (a) {
      a.hidden = !(me && (me.roles || []).indexOf(a.dataset.role) >= 0);
    });
    var open = {report: openReport, tasks: openTasks, map: openMap, patrol: openPatrol, visit: openVisit,
                enforce: openEnforce, me: openMe};
    if (open[name]) open[name]();
  }

  function net() {
    var on = navigator.onLine;
    var badge = $("#net");
    badge.textContent = on ? T.online : T.offline;
    badge.classList.toggle("off", !on);
  }

  // ------------------------------------------------------------------ sign in

  $("#login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target, msg = $("[data-msg]", form);
    var body = {username: form.username.value.trim(), password: form.password.value, code: form.code.value.trim(),
                device: (navigator.userAgent.match(/\(([^)]*)\)/) || [0, "phone"])[1].slice(0, 100)};
    say(msg, T.sending);
    fetch(C.api + "grid/device-token", {method: "POST", credentials: "omit",
                                        headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (r) { return r.json().then(function (data) { return {r: r, data: data}; }); })
      .then(function (res) {
        if (res.r.status === 202) {
          $("#code-label").hidden = false;
          say(msg, T.code_sent);
          return;
        }
        if (!res.r.ok) { say(msg, fmt(T.login_failed, {message: errorText(res.data)}), true); return; }
        token = res.data.token;
        me = res.data.user;
        me.token_id = res.data.token_id;
        localStorage.setItem("zw.token", token);
        localStorage.setItem("zw.user", JSON.stringify(me));
        form.reset();
        say(msg, "");
        location.hash = "#report";
        show();
        startGps();
        sync();
      })
      .catch(function () { say(msg, fmt(T.login_failed, {message: T.network_error}), true); });
  });

  function signOut() {
    token = null;
    me = null;
    localStorage.removeItem("zw.token");
    localStorage.removeItem("zw.user");
    // The last copies of tasks, the map and places were this account's: the next one must not see them.
    Object.keys(localStorage).filter(function (k) { return k.indexOf("zw.cache.") === 0; })
      .forEach(function (k) { localStorage.removeItem(k); });
    show();
  }

  function openMe() {
    $("#me-name").textContent = me ? (me.full_name + "（" + me.username + "）" +
      (me.scope_name ? " · " + me.scope_name : "")) : "";
  }

  // Signing out revokes the device token on the server too (when there is a network to tell it).
  $("#sign-out").addEventListener("click", function () {
    var revoke = me && me.token_id ? api("accounts/tokens/" + me.token_id, {method: "DELETE"}) : Promise.resolve();
    revoke.catch(function () {}).then(function () {
      signOut();
      say($("[data-msg]", $("#login-form")), T.signed_out);
    });
  });

  // ------------------------------------------------------------------ GPS

  function startGps() {
    if (watchId !== null || !navigator.geolocation || !token) return;
    watchId = navigator.geolocation.watchPosition(onFix, function () {
      if (!here) say($("#gps-status"), T.gps_denied, true);
      showPinMap(true);
    }, {enableHighAccuracy: true, maximumAge: 0, timeout: 30000});
  }

  function onFix(pos) {
    here = {lng: pos.coords.longitude, lat: pos.coords.latitude, accuracy: pos.coords.accuracy,
            t: pos.timestamp || Date.now()};
    var acc = Math.round(here.accuracy);
    var poor = here.accuracy > C.goodAccuracy;
    say($("#gps-status"), fmt(poor ? T.gps_poor : T.gps_good, {m: acc}), poor);
    showPinMap(poor);
    if (pinMarker && !pin) pinMarker.setLatLng([here.lat, here.lng]);
    if (patrol) recordPoint(here);
    if (!$("#screen-enforce").hidden) evidenceGps();
  }

  // ------------------------------------------------------------------ maps

  var pinMap = null, pinMarker = null, incidentMap = null, incidentLayer = null;
  var LIGHTS = {green: "#2e7d32", yellow: "#f9a825", red: "#c62828"};

  function baseMap(id) {
    var map = L.map(id, {zoomSnap: 0.5, attributionControl: false});
    if (C.tileUrl) L.tileLayer(C.tileUrl, {attribution: C.tileAttribution || ""}).addTo(map);
    map.setView([here ? here.lat : 32.0, here ? here.lng : 119.5], 15);
    drawGrid(map);
    return map;
  }

  function drawGrid(map) {
    if (!me || !me.scope_code) return;
    getJSON("areas/geojson?under=" + encodeURIComponent(me.scope_code), "grid-outline").then(function (res) {
      var layer = L.geoJSON(res.data, {style: {color: "#b71c1c", weight: 2, fillOpacity: 0.05}, interactive: false});
      layer.addTo(map);
      if (!here && layer.getBounds().isValid()) map.fitBounds(layer.getBounds());
    }).catch(function () {});
  }

  function showPinMap(poor) {
    var box = $("#pin-map");
    if (!poor && !pin) { box.hidden = true; return; }
    box.hidden = false;
    if (!pinMap) {
      pinMap = baseMap("pin-map");
      var start = here ? [here.lat, here.lng] : pinMap.getCenter();
      pinMarker = L.marker(start, {draggable: true, autoPan: true}).addTo(pinMap);
      pinMarker.on("dragend", function () {
        var p = pinMarker.getLatLng();
        pin = {lng: p.lng, lat: p.lat};
      });
      pinMap.on("click", function (e) {
        pinMarker.setLatLng(e.latlng);
        pin = {lng: e.latlng.lng, lat: e.latlng.lat};
      });
    }
    setTimeout(function () { pinMap.invalidateSize(); }, 50);
  }

  // ------------------------------------------------------------------ report

  var categories = [];

  function recentCodes() { return JSON.parse(localStorage.getItem("zw.recent") || "[]"); }
  function useCategory(code) {
    var list = recentCodes().filter(function (c) { return c !== code; });
    list.unshift(code);
    localStorage.setItem("zw.recent", JSON.stringify(list.slice(0, 8)));
  }

  function renderCategories() {
    var select = $("#category"), chips = $("#recent-categories"), current = select.value;
    while (select.options.length > 1) select.remove(1);
    select.querySelectorAll("optgroup").forEach(function (g) { g.remove(); });
    chips.textContent = "";
    var byCode = {};
    categories.forEach(function (c) { byCode[c.code] = c; });
    var recent = recentCodes().filter(function (code) { return byCode[code]; });
    categories.forEach(function (c) { if (c.recent && recent.indexOf(c.code) < 0) recent.push(c.code); });
    recent = recent.slice(0, 6);
    if (recent.length) {
      var group = el("optgroup");
      group.label = T.recent;
      recent.forEach(function (code) {
        group.appendChild(new Option(byCode[code].name, code));
        var chip = el("button", byCode[code].name, "chip");
        chip.type = "button";
        chip.dataset.code = code;
        chip.addEventListener("click", function () { select.value = code; markChip(); });
        chips.appendChild(chip);
      });
      select.appendChild(group);
    }
    var groups = {};
    categories.forEach(function (c) {
      var name = c.major_name || "";
      if (!groups[name]) { groups[name] = el("optgroup"); groups[name].label = name; select.appendChild(groups[name]); }
      groups[name].appendChild(new Option(c.name, c.code));
    });
    if (current) select.value = current;
    markChip();
  }

  function markChip() {
    var code = $("#category").value;
    document.querySelectorAll("#recent-categories .chip").forEach(function (chip) {
      chip.classList.toggle("on", chip.dataset.code === code);
    });
  }
  $("#category").addEventListener("change", markChip);

  function openReport() {
    startGps();
    getJSON("grid/categories", "categories").then(function (res) {
      categories = res.data;
      renderCategories();
    }).catch(function () {});
    renderOutbox();
  }

  function previews(input, box) {
    box.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var img = el("img");
      img.alt = file.name;
      img.src = URL.createObjectURL(file);
      box.appendChild(img);
    });
  }
  $("#report-photos").addEventListener("change", function (e) { previews(e.target, $("#report-previews")); });
  $("#visit-photos").addEventListener("change", function (e) { previews(e.target, $("#visit-previews")); });

  function files(input) {
    return Array.prototype.map.call(input.files, function (f) { return {name: f.name || "photo.jpg", blob: f}; });
  }

  $("#report-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target, msg = $("[data-msg]", form);
    var where = pin || here;
    if (!form.category.value) return say(msg, T.need_category, true);
    if (!form.description.value.trim()) return say(msg, T.need_description, true);
    if (!where) return say(msg, T.need_location, true);
    var chosen = categories.filter(function (c) { return c.code === form.category.value; })[0];
    var op = {type: "incident", key: S.uuid(), category: form.category.value,
              label: chosen ? chosen.name : form.category.value, lng: where.lng, lat: where.lat,
              address: form.address.value.trim(), description: form.description.value.trim(),
              reported_at: new Date().toISOString(), photos: files($("#report-photos"))};
    useCategory(op.category);
    S.add(op).then(function () {
      form.reset();
      $("#report-previews").textContent = "";
      pin = null;
      renderCategories();
      say(msg, navigator.onLine ? T.sending : T.saved_offline);
      renderOutbox();
      sync();
    });
  });

  // ------------------------------------------------------------------ outbox

  var LABELS = {incident: "incident", visit: "visit_item", checkin: "checkin_item", start: "patrol_item",
                points: "patrol_item", stop: "patrol_item", evidence: "evidence_item"};

  function renderOutbox() {
    return S.all().then(function (ops) {
      var list = $("#outbox");
      list.textContent = "";
      ops.forEach(function (op) {
        var li = el("li");
        li.appendChild(el("strong", T[LABELS[op.type]] + " · " + (op.label || op.created.slice(11, 16))));
        if (op.failed) {
          li.appendChild(el("span", fmt(T.failed, {message: op.failed}), "bad"));
          var del = el("button", T.delete, "secondary small");
          del.type = "button";
          del.addEventListener("click", function () { S.remove(op.seq).then(renderOutbox); });
          li.appendChild(del);
        }
        list.appendChild(li);
      });
      if (!ops.length) list.appendChild(el("li", T.outbox_empty, "empty"));
      var q = $("#queue");
      q.hidden = !ops.length;
      q.textContent = fmt(T.queued, {n: ops.length});
      return ops;
    });
  }

  function form(fields, photos) {
    var data = new FormData();
    Object.keys(fields).forEach(function (k) {
      if (fields[k] !== null && fields[k] !== undefined) data.append(k, fields[k]);
    });
    (photos || []).forEach(function (p) { data.append("photos", p.blob, p.name); });
    return data;
  }

  function patrolId(client) { return S.get("patrol:" + client); }

  // One outbox entry → one request; resolves to the fetch Response (a network failure rejects).
  function send(op) {
    var headers = {"Idempotency-Key": op.key};
    switch (op.type) {
      case "incident":
        return api("grid/incidents", {method: "POST", headers: headers, body: form({
          category: op.category, lng: op.lng, lat: op.lat, crs: "wgs84", address: op.address,
          description: op.description, source: "patrol", reported_at: op.reported_at}, op.photos)});
      case "visit":
        return api("grid/visits/", {method: "POST", headers: headers, body: form({
          target_kind: op.target_kind, target_id: op.target_id, record: op.record, lng: op.lng, lat: op.lat,
          visited_at: op.visited_at}, op.photos)});
      case "checkin":
        return api("grid/patrols/checkins", {method: "POST", headers: headers,
                                             json: {place_id: op.place_id, lng: op.lng, lat: op.lat, at: op.at}});
      case "start":
        return api("grid/patrols/", {method: "POST", headers: headers,
                                     json: {client_id: op.patrol, started_at: op.started_at}});
      case "evidence":  // one photo per request: the case's evidence endpoint takes one file
        var data = form({place: op.place, lng: op.lng, lat: op.lat, accuracy: op.accuracy, taken_at: op.taken_at});
        data.append("file", op.photo.blob, op.photo.name);
        return api("enforcement/cases/" + encodeURIComponent(op.case) + "/evidence",
                   {method: "POST", headers: headers, body: data});
      default:
        return patrolId(op.patrol).then(function (id) {
          if (id === undefined) return null;  // its start is not through yet
          if (op.type === "points") {
            return api("grid/patrols/" + id + "/points", {method: "POST", headers: headers, json: {points: op.points}});
          }
          return api("grid/patrols/" + id + "/stop", {method: "POST", headers: headers, json: {ended_at: op.ended_at}});
        });
    }
  }

  function sent(op, body) {
    if (op.type === "start") return S.set("patrol:" + op.patrol, body.id);
    if (op.type === "incident") {
      var near = (body.duplicates || []).map(function (d) { return d.number; });
      say($("[data-msg]", $("#report-form")), fmt(T.sent, {number: body.number}) +
          (near.length ? " " + fmt(T.duplicates, {numbers: near.join("、")}) : ""));
    }
    if (op.type === "visit") say($("[data-msg]", $("#visit-form")), T.visit_saved);
    if (op.type === "evidence") {  // the fingerprint the case file keeps it under, for the officer's notes
      say($("[data-msg]", $("#evidence-form")), fmt(T.evidence_saved_sha, {name: body.name, sha: body.sha256}));
      var sha = $("#evidence-sha");
      if (sha) { sha.textContent = body.sha256; sha.hidden = false; }
    }
    if (op.type === "checkin") say($("#checkin-msg"), fmt(T.checked_in, {place: op.label}));
    if (op.type === "stop") setTimeout(loadToday, 0);
    return null;
  }

  // A batch refused for one point (an impossible speed, a bad fix): leave that point out, send the rest
  // under a new key (the body differs, so the old key may not be used again).
  function dropBadPoint(op, body) {
    var field = ((body.errors || [])[0] || {}).field || "";
    var m = field.match(/^points\[(\d+)\]/);
    if (op.type !== "points" || !m) return false;
    op.points.splice(Number(m[1]), 1);
    op.key = S.uuid();
    return true;
  }

  function later() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(sync, backoff);
    backoff = Math.min(backoff * 2, 60000);
  }

  function sync() {
    if (!token) return Promise.resolve();
    if (syncing) { again = true; return Promise.resolve(); }  // a write made during a pass: one more pass
    syncing = true;
    again = false;
    var failedStarts = {};
    return S.all().then(function step(ops) {
      var op = ops.shift();
      if (!op) { backoff = 5000; return null; }
      if (op.user && me && op.user !== me.username) return step(ops);  // queued by another account: theirs
      if (op.failed) {
        if (op.type === "start") failedStarts[op.patrol] = op.failed;
        return step(ops);
      }
      return send(op).then(function (r) {
        if (r === null && failedStarts[op.patrol]) {
          op.failed = failedStarts[op.patrol];  // its patrol was never started on the server
          return S.put(op).then(function () { return step(ops); });
        }
        if (r === null) return later();
        if (r.status === 401) { signOut(); return null; }
        if (r.status >= 500 || r.status === 429 || r.status === 408) return later();
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.ok) return Promise.resolve(sent(op, body)).then(function () { return S.remove(op.seq); })
            .then(function () { return step(ops); });
          if (dropBadPoint(op, body)) {
            var next = op.points.length ? S.put(op) : S.remove(op.seq);
            return next.then(function () { return S.all(); }).then(step);
          }
          op.failed = errorText(body);
          if (op.type === "start") failedStarts[op.patrol] = op.failed;
          return S.put(op).then(function () { return step(ops); });
        });
      }, function () { return later(); });
    }).catch(function () { later(); }).then(function () {
      syncing = false;
      if (again) setTimeout(sync, 0);
      return renderOutbox();
    });
  }

  // ------------------------------------------------------------------ tasks and map

  function openTasks() {
    var box = $("#screen-tasks"), list = $("#tasks");
    getJSON("grid/my-tasks", "tasks").then(function (res) {
      list.textContent = "";
      say($("[data-msg]", box), res.cached ? T.tasks_cached : (res.data.length ? "" : T.no_tasks));
      res.data.forEach(function (task) {
        var li = el("li", null, "light-" + (task.light || "none"));
        var link = el("a", task.title);
        link.href = task.page_url || "#tasks";
        li.appendChild(link);
        li.appendChild(el("span", (T["task_" + task.task] || task.task) + " · " + task.number, "hint"));
        if (task.due_at) li.appendChild(el("span", task.due_at.slice(0, 16).replace("T", " "), "hint"));
        list.appendChild(li);
      });
    }).catch(function () { say($("[data-msg]", box), T.network_error, true); });
  }

  function openMap() {
    var box = $("#screen-map");
    if (!incidentMap) incidentMap = baseMap("incident-map");
    setTimeout(function () { incidentMap.invalidateSize(); }, 50);
    getJSON("grid/map", "map").then(function (res) {
      if (incidentLayer) incidentLayer.remove();
      incidentLayer = L.geoJSON(res.data, {
        pointToLayer: function (feature, latlng) {
          var colour = LIGHTS[(feature.properties || {}).light] || "#1565c0";
          return L.circleMarker(latlng, {radius: 11, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9,
                                         className: "incident-" + (feature.properties || {}).number});
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties || {}, card = el("div");
          card.appendChild(el("strong", p.number || ""));
          card.appendChild(el("div", p.title || ""));
          layer.bindPopup(card);
        }
      }).addTo(incidentMap);
      var n = (res.data.features || []).length;
      say($("[data-msg]", box), res.cached ? T.tasks_cached : (n ? "" : T.no_incidents));
      if (n) incidentMap.fitBounds(incidentLayer.getBounds(), {maxZoom: 17, padding: [20, 20]});
    }).catch(function () { say($("[data-msg]", box), T.network_error, true); });
  }

  // ------------------------------------------------------------------ patrol

  function savePatrol() {
    if (patrol) localStorage.setItem("zw.patrol", JSON.stringify(patrol));
    else localStorage.removeItem("zw.patrol");
  }

  function recordPoint(fix) {
    var t = fix.t || Date.now();
    if (patrol.lastT && t <= patrol.lastT) return;
    if (patrol.last) patrol.metres += metres(patrol.last, fix);
    patrol.lastT = t;
    patrol.last = {lng: fix.lng, lat: fix.lat};
    patrol.line = (patrol.line || []).concat([[fix.lat, fix.lng]]).slice(-2000);  // drawn on the patrol screen
    patrol.n += 1;
    patrol.buffered = (patrol.buffered || 0) + 1;
    savePatrol();
    S.pointAdd({patrol: patrol.client, t: new Date(t).toISOString(), lng: fix.lng, lat: fix.lat,
                accuracy: Math.round(fix.accuracy * 10) / 10}).then(function () {
      if (patrol && patrol.buffered >= C.batchPoints) flush();
    });
    renderPatrol();
  }

  function flush() {
    if (!patrol) return Promise.resolve(0);
    patrol.buffered = 0;
    savePatrol();
    return S.flushPoints(patrol.client, S.uuid(), me && me.username).then(function (n) {
      if (n) sync();
      return n;
    });
  }

  function patrolStart() {
    patrol = {client: S.uuid(), started: new Date().toISOString(), lastT: 0, n: 0, metres: 0, last: null};
    savePatrol();
    S.add({type: "start", patrol: patrol.client, key: patrol.client, started_at: patrol.started})
      .then(function () { sync(); });
    flushTimer = setInterval(flush, C.batchSeconds * 1000);
    startGps();
    // The fix in hand starts the track, at its own time (a point a little before the start is fine).
    if (here && here.t > Date.now() - 60000) recordPoint(here);
    renderPatrol();
  }

  function patrolStop() {
    var client = patrol.client;
    clearInterval(flushTimer);
    S.flushPoints(client, S.uuid(), me && me.username).then(function () {
      return S.add({type: "stop", patrol: client, key: S.uuid(), ended_at: new Date().toISOString()});
    }).then(function () {
      patrol = null;
      savePatrol();
      renderPatrol();
      sync().then(loadToday);
    });
  }

  $("#patrol-toggle").addEventListener("click", function () {
    if (patrol) patrolStop();
    else patrolStart();
  });

  function hm(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60);
    return fmt(T.hours_minutes, {h: h, m: m});
  }

  function renderPatrol() {
    var button = $("#patrol-toggle");
    button.textContent = patrol ? T.patrol_stop : T.patrol_start;
    button.classList.toggle("stop", !!patrol);
    say($("#patrol-status"), patrol ? fmt(T.patrol_running, {time: patrol.started.slice(11, 16)}) : T.patrol_idle);
    $("#patrol-status").dataset.running = patrol ? "1" : "";
    $("#patrol-stats").textContent = patrol ? fmt(T.points, {n: patrol.n, km: (patrol.metres / 1000).toFixed(2)}) : "";
    drawTrack();
  }

  var trackMap = null, trackLine = null;

  // The running patrol's own track, from the phone's copy (so it shows offline too).
  function drawTrack() {
    var box = $("#track-map"), line = patrol && patrol.line ? patrol.line : [];
    box.hidden = !line.length || $("#screen-patrol").hidden;
    if (box.hidden) return;
    if (!trackMap) {
      trackMap = baseMap("track-map");
      trackLine = L.polyline([], {color: "#b71c1c", weight: 4}).addTo(trackMap);
    }
    trackMap.invalidateSize();
    trackLine.setLatLngs(line);
    trackMap.fitBounds(trackLine.getBounds(), {maxZoom: 17, padding: [16, 16]});
  }

  function loadToday() {
    if (!token) return;
    getJSON("grid/patrols/summary?day=" + localDay(), "today").then(function (res) {
      var mine = res.data.filter(function (r) { return me && r.worker === me.username; })[0];
      $("#today").textContent = mine ? fmt(T.today, {patrols: mine.patrols, time: hm(mine.duration_s),
                                                     km: (mine.distance_m / 1000).toFixed(2), reports: mine.reports}) : "";
    }).catch(function () {});
  }

  function openPatrol() {
    renderPatrol();
    loadToday();
  }

  function loadPlaces() {
    var list = $("#places"), q = here ? "?lng=" + here.lng + "&lat=" + here.lat : "";
    getJSON("grid/patrols/places" + q, "places").then(function (res) {
      list.textContent = "";
      if (!res.data.length) say($("#checkin-msg"), T.no_places);
      res.data.forEach(function (place) {
        var li = el("li");
        var text = el("div");
        text.appendChild(el("strong", place.name));
        var d = here ? " · " + Math.round(metres(here, place)) + " m" : "";
        text.appendChild(el("span", place.kind + d, "hint"));
        li.appendChild(text);
        var button = el("button", T.checkin, "secondary");
        button.type = "button";
        button.addEventListener("click", function () { checkin(place); });
        li.appendChild(button);
        list.appendChild(li);
      });
    }).catch(function () { say($("#checkin-msg"), T.network_error, true); });
  }
  $("#places-refresh").addEventListener("click", loadPlaces);

  function checkin(place) {
    if (!here) return say($("#checkin-msg"), T.need_location, true);
    S.add({type: "checkin", key: S.uuid(), place_id: place.id, label: place.name, lng: here.lng, lat: here.lat,
           at: new Date().toISOString()}).then(function () {
      say($("#checkin-msg"), navigator.onLine ? T.sending : T.saved_offline);
      sync();
    });
  }

  // ------------------------------------------------------------------ visits

  var targetTimer = null;

  function loadTargets() {
    var f = $("#visit-form"), list = $("#targets"), q = $("#target-q").value.trim();
    var path = "grid/visits/targets?kind=" + encodeURIComponent(f.target_kind.value) + "&q=" + encodeURIComponent(q);
    getJSON(path, q ? null : "targets-" + f.target_kind.value).then(function (res) {
      list.textContent = "";
      res.data.slice(0, 20).forEach(function (t) {
        var li = el("li");
        var b = el("button", t.name, "choice");
        b.type = "button";
        b.appendChild(el("span", t.address, "hint"));
        b.addEventListener("click", function () {
          f.target_id.value = t.id;
          $("#target-chosen").textContent = t.name + " · " + t.address;
          list.textContent = "";
        });
        li.appendChild(b);
        list.appendChild(li);
      });
    }).catch(function () {});
  }
  $("#target-q").addEventListener("input", function () {
    clearTimeout(targetTimer);
    targetTimer = setTimeout(loadTargets, 300);
  });
  $("#visit-form").target_kind.addEventListener("change", loadTargets);

  function openVisit() {
    startGps();
    loadTargets();
  }

  $("#visit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target, msg = $("[data-msg]", f);
    if (!f.target_id.value) return say(msg, T.need_target, true);
    if (!f.record.value.trim()) return say(msg, T.need_record, true);
    S.add({type: "visit", key: S.uuid(), label: $("#target-chosen").textContent, target_kind: f.target_kind.value,
           target_id: f.target_id.value, record: f.record.value.trim(), lng: here ? here.lng : null,
           lat: here ? here.lat : null, visited_at: new Date().toISOString(), photos: files($("#visit-photos"))})
      .then(function () {
        f.reset();
        $("#visit-previews").textContent = "";
        $("#target-chosen").textContent = "";
        say(msg, navigator.onLine ? T.sending : T.saved_offline);
        sync();
      });
  });

  // ------------------------------------------------------------------ enforcement (officers)

  function openEnforce() {
    startGps();
    evidenceGps();
    var box = $("#screen-enforce"), list = $("#enforce-tasks"), select = $("#evidence-form").case;
    getJSON("enforcement/my-tasks", "enforce-tasks").then(function (res) {
      var cases = res.data.cases || [], followups = res.data.followups || [], current = select.value;
      list.textContent = "";
      while (select.options.length > 1) select.remove(1);
      say($("[data-msg]", box), res.cached ? T.tasks_cached : (cases.length + followups.length ? "" : T.no_enforce_tasks));
      cases.forEach(function (c) {
        var li = el("li", null, "light-" + (c.light || "none"));
        li.appendChild(el("strong", c.title));
        li.appendChild(el("span", c.status_label + " · " + c.number, "hint"));
        if (c.due_at) li.appendChild(el("span", c.due_at.slice(0, 10), "hint"));
        // Tapping a case opens it for evidence: chosen in the form below, which comes into view.
        li.dataset.case = c.number;
        li.setAttribute("role", "button");
        li.tabIndex = 0;
        li.addEventListener("click", function () { chooseCase(c.number); });
        list.appendChild(li);
        select.appendChild(new Option(c.number + " " + c.party_name, c.number));
      });
      followups.forEach(function (f) {
        var li = el("li", null, "light-" + (f.light || "none"));
        li.appendChild(el("strong", f.title));
        li.appendChild(el("span", T.followup + " · " + f.status_label + " · " + f.case_number, "hint"));
        if (f.due_at) li.appendChild(el("span", f.due_at.slice(0, 10), "hint"));
        list.appendChild(li);
      });
      if (current) select.value = current;
    }).catch(function () { say($("[data-msg]", box), T.network_error, true); });
  }

  function chooseCase(number) {
    var form = $("#evidence-form");
    form.case.value = number;
    document.querySelectorAll("#enforce-tasks li").forEach(function (li) {
      li.classList.toggle("chosen", li.dataset.case === number);
    });
    form.scrollIntoView({behavior: "smooth", block: "start"});
  }

  function evidenceGps() {
    say($("#evidence-gps"), here ? fmt(T.evidence_gps, {m: Math.round(here.accuracy)}) : T.evidence_no_gps);
  }

  $("#evidence-photos").addEventListener("change", function (e) { previews(e.target, $("#evidence-previews")); });

  // Evidence: each photo is one outbox entry with its own key, the GPS fix in hand and the time it was taken.
  $("#evidence-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var f = event.target, msg = $("[data-msg]", f), photos = files($("#evidence-photos"));
    if (!f.case.value) return say(msg, T.need_case, true);
    if (!photos.length) return say(msg, T.need_photo, true);
    var taken = new Date().toISOString(), number = f.case.value, place = f.place.value.trim();
    var adds = photos.map(function (p) {
      return S.add({type: "evidence", key: S.uuid(), label: number + " " + p.name, case: number, place: place,
                    lng: here ? here.lng : null, lat: here ? here.lat : null,
                    accuracy: here ? Math.round(here.accuracy * 10) / 10 : null, taken_at: taken, photo: p});
    });
    Promise.all(adds).then(function () {
      f.photos.value = "";
      $("#evidence-previews").textContent = "";
      say(msg, navigator.onLine ? T.sending : T.saved_offline);
      renderOutbox();
      sync();
    });
  });

  // ------------------------------------------------------------------ start

  window.addEventListener("hashchange", show);
  window.addEventListener("online", function () { net(); backoff = 5000; sync(); });
  window.addEventListener("offline", net);
  net();
  show();
  if (token) {
    startGps();
    if (patrol) flushTimer = setInterval(flush, C.batchSeconds * 1000);
    sync();
  }
  // Tests and the page itself can ask for a sync now (e.g. after the network returned).
  window.zwSync = sync;
}());
