// Sortable tables: a click on a heading sorts by that column; numbers by value, names naturally (pm9 < pm99).
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column], order;
        if (x.hasAttribute("data-sort") && y.hasAttribute("data-sort")) {
          order = parseFloat(x.getAttribute("data-sort")) - parseFloat(y.getAttribute("data-sort"));
        } else {
          order = x.textContent.localeCompare(y.textContent, undefined, {numeric: true, sensitivity: "base"});
        }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
// Printing shows the collapsed detail too.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
});
