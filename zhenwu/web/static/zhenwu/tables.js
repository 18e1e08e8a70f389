/* Tables become cards on phones (site.css): each cell shows its column's name from data-label. Templates
   set data-label; this fills it in from the header for any table that does not (also after htmx swaps a
   table in), so no new table is left with unlabelled cells. */
(function () {
  "use strict";
  function label(root) {
    root.querySelectorAll("table.list").forEach(function (table) {
      var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && names[i] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", names[i]);
          }
        });
      });
    });
  }
  label(document);
  document.addEventListener("htmx:afterSettle", function (event) { label(event.target); });
})();
