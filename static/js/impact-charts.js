// Draws the impact dashboard's charts from the JSON the page embeds; the tables beside them hold the same figures.
(function () {
  var source = document.getElementById("impact-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function bars(canvasId, series, maximum, unit) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || !series.labels.length) { return; }
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels.map(function (label) { return label.length > 60 ? label.slice(0, 58) + "…" : label; }),
        datasets: [
          { label: "Before", data: series.before, backgroundColor: "#9aa5b1" },
          { label: "After", data: series.after, backgroundColor: "#0d6efd" }
        ]
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: maximum, title: { display: true, text: unit } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  bars("chart-paired", data.paired, 100, "% agreeing");
  bars("chart-themes", data.themes, 100, "Theme score (0-100)");
})();
