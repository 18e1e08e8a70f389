/* File pickers: the browser's own file button speaks the browser's language, so the page shows its own
   button (a label) and the chosen file's name. Without JavaScript the label still opens the picker. */
(function () {
  "use strict";
  document.querySelectorAll("[data-file-input]").forEach(function (input) {
    var shown = input.parentNode.querySelector("[data-file-name]");
    var none = shown.textContent;
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      shown.textContent = names.length ? names.join("、") : none;
    });
  });
})();
