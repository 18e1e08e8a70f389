/* Photo pickers: the browser's own file button speaks the browser's language, so the page shows its
   own button (a label) and says how many photos were chosen. Without JavaScript the label still opens
   the picker. */
(function () {
  "use strict";
  document.querySelectorAll("[data-photo-input]").forEach(function (input) {
    var count = input.parentNode.querySelector("[data-photo-count]");
    var none = count.textContent;
    var chosen = count.getAttribute("data-chosen");
    input.addEventListener("change", function () {
      var n = input.files ? input.files.length : 0;
      count.textContent = n ? chosen + " " + n : none;
    });
  });
})();
