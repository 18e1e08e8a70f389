/* A search box over a long <select data-search="placeholder">: typing hides the options that do not
   match (by name or code); a single match is chosen. Without JavaScript the select works as it is. */
(function () {
  "use strict";
  var MIN_OPTIONS = 8;  // a short list is read at a glance: no search box

  function enhance(select) {
    if (select.dataset.searchReady || select.options.length < MIN_OPTIONS) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.dataset.search;
    box.setAttribute("aria-label", select.dataset.search);
    box.setAttribute("autocomplete", "off");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var query = box.value.trim().toLowerCase();
      var shown = [];
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !query || !option.value ||
          option.text.toLowerCase().indexOf(query) !== -1 || option.value.indexOf(query) === 0;
        option.hidden = !match;
        if (match && option.value) shown.push(option);
      });
      if (shown.length === 1 && select.value !== shown[0].value) {
        select.value = shown[0].value;
        select.dispatchEvent(new Event("change", {bubbles: true}));
      }
      select.dataset.matches = String(shown.length);
    });
  }
  function enhanceAll(root) {
    root.querySelectorAll("select[data-search]").forEach(enhance);
  }
  enhanceAll(document);
  document.addEventListener("htmx:afterSettle", function (event) { enhanceAll(event.target); });
})();
