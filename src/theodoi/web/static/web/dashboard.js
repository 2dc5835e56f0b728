// Draws the dashboard's status chart and the indicators' small trend lines from the data the
// page embeds (no request leaves the office network).
(function () {
  const source = document.getElementById("du-lieu-bieu-do");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = ["#198754", "#0dcaf0", "#0d6efd", "#dc3545", "#6c757d"];
  const canvas = document.getElementById("bieu-do-tinh-trang");
  if (canvas) {
    new Chart(canvas, {
      type: "doughnut",
      data: { labels: data.labels, datasets: [{ data: data.values, backgroundColor: colours }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { position: "right", labels: { boxWidth: 12, font: { size: 11 } } } },
      },
    });
  }
  document.querySelectorAll("canvas.sparkline").forEach(function (el) {
    const trend = data.trends[el.dataset.indicator];
    if (!trend) return;
    new Chart(el, {
      type: "line",
      data: { labels: trend.labels, datasets: [{ data: trend.values, borderColor: "#0b4f8a", pointRadius: 2, borderWidth: 1.5 }] },
      options: {
        animation: false,
        responsive: false,
        plugins: { legend: { display: false }, tooltip: { enabled: true } },
        scales: { x: { display: false }, y: { display: false } },
      },
    });
  });
})();
