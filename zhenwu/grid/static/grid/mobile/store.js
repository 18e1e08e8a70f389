/* The phone's own storage (IndexedDB "zhenwu-m"): the outbox of writes waiting for the network, the GPS
   points of the running patrol not yet put in a batch, and small key/value facts (server ids of patrols).

   Every write the app makes goes into the outbox first, with its Idempotency-Key chosen once, and is
   sent from there; so a report made offline, or whose answer was lost, is sent again with the same key
   and the server makes one incident of it. */
(function () {
  "use strict";
  var DB_NAME = "zhenwu-m";
  var opened = null;

  function open() {
    if (opened) return opened;
    opened = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        db.createObjectStore("outbox", {keyPath: "seq", autoIncrement: true});
        var points = db.createObjectStore("points", {keyPath: "id", autoIncrement: true});
        points.createIndex("patrol", "patrol");
        db.createObjectStore("kv", {keyPath: "k"});
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return opened;
  }

  function run(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(tx)).then(function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function req(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  window.ZwStore = {
    uuid: uuid,
    add: function (op) {
      op.created = op.created || new Date().toISOString();
      return run(["outbox"], "readwrite", function (tx) { return req(tx.objectStore("outbox").add(op)); });
    },
    put: function (op) {
      return run(["outbox"], "readwrite", function (tx) { return req(tx.objectStore("outbox").put(op)); });
    },
    remove: function (seq) {
      return run(["outbox"], "readwrite", function (tx) { return req(tx.objectStore("outbox").delete(seq)); });
    },
    all: function () {
      return run(["outbox"], "readonly", function (tx) { return req(tx.objectStore("outbox").getAll()); });
    },
    pointAdd: function (point) {
      return run(["points"], "readwrite", function (tx) { return req(tx.objectStore("points").add(point)); });
    },
    pointCount: function (patrol) {
      return run(["points"], "readonly", function (tx) {
        return req(tx.objectStore("points").index("patrol").count(patrol));
      });
    },
    /* Move every buffered point of a patrol into one outbox batch, in one transaction: a point is either
       still buffered or in exactly one batch. Resolves to the number of points moved. */
    flushPoints: function (patrol, key, user) {
      return run(["points", "outbox"], "readwrite", function (tx) {
        var store = tx.objectStore("points");
        return req(store.index("patrol").getAll(patrol)).then(function (rows) {
          if (!rows.length) return 0;
          rows.sort(function (a, b) { return a.t < b.t ? -1 : a.t > b.t ? 1 : 0; });
          rows.forEach(function (row) { store.delete(row.id); });
          tx.objectStore("outbox").add({type: "points", patrol: patrol, key: key, user: user || null,
            created: new Date().toISOString(),
            points: rows.map(function (r) { return {t: r.t, lng: r.lng, lat: r.lat, accuracy: r.accuracy}; })});
          return rows.length;
        });
      });
    },
    get: function (k) {
      return run(["kv"], "readonly", function (tx) { return req(tx.objectStore("kv").get(k)); })
        .then(function (row) { return row ? row.v : undefined; });
    },
    set: function (k, v) {
      return run(["kv"], "readwrite", function (tx) { return req(tx.objectStore("kv").put({k: k, v: v})); });
    },
    clear: function () {
      return run(["outbox", "points", "kv"], "readwrite", function (tx) {
        ["outbox", "points", "kv"].forEach(function (name) { tx.objectStore(name).clear(); });
      });
    }
  };
}());
