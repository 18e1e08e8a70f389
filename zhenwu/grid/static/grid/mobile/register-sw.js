/* Installs the phone app's service worker (served from /m/sw.js, scope /m/), so /m/ opens offline. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("m-config").textContent);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.sw, {scope: config.scope}).catch(function () {});
  }
}());
