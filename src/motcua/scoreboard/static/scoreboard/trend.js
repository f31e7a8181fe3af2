// Draw the unit's monthly trend from the #trend-data JSON (the same figures are in the
// table beside the chart, so the page says everything without JavaScript).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("trend-data");
    var canvas = document.getElementById("trend-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#0b3b74", "#b3261e", "#0f5132", "#5c4400", "#6b3a00", "#4a5563", "#0a55a8"];
    var datasets = [{ label: data.total_label, data: data.total, borderColor: palette[0], borderWidth: 3, spanGaps: true }];
    Object.keys(data.groups).forEach(function (code, index) {
      datasets.push({
        label: data.group_labels[code], data: data.groups[code],
        borderColor: palette[(index + 1) % palette.length], borderWidth: 1.5,
        borderDash: [4, 3], spanGaps: true
      });
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: { y: { min: 0, max: 100 } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
