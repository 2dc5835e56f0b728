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
  // Each indicator's small chart: its values, the milestone's target as a dashed line, and on
  // hover the period with its value written the Vietnamese way; the indicator page has the
  // full chart with axes.
  const number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  // "Tải biểu đồ (PNG)": the chart as drawn, on a white background, for a meeting's slides.
  document.querySelectorAll("[data-chart-png]").forEach(function (link) {
    link.addEventListener("click", function () {
      const chart = Chart.getChart(link.dataset.chartPng);
      if (!chart) return;
      const source = chart.canvas;
      const copy = document.createElement("canvas");
      copy.width = source.width;
      copy.height = source.height;
      const context = copy.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, copy.width, copy.height);
      context.drawImage(source, 0, 0);
      link.href = copy.toDataURL("image/png");
    });
  });
  document.querySelectorAll("canvas.sparkline").forEach(function (el) {
    const trend = data.trends[el.dataset.indicator];
    if (!trend) return;
    const unit = trend.unit ? (trend.unit.startsWith("%") ? "%" : " " + trend.unit) : "";
    const datasets = [{ label: "Thực hiện", data: trend.values, borderColor: "#0b4f8a", pointRadius: 2, borderWidth: 1.5 }];
    if (trend.target !== null && trend.target !== undefined) {
      datasets.push({
        label: trend.target_label, data: trend.labels.map(() => trend.target),
        borderColor: "#198754", borderDash: [4, 3], pointRadius: 0, borderWidth: 1,
      });
    }
    const lines = trend.labels.map((label, i) => `${label}: ${number.format(trend.values[i])}${unit}`);
    if (trend.target_label) lines.push(trend.target_label);
    el.title = lines.join("\n");
    new Chart(el, {
      type: "line",
      data: { labels: trend.labels, datasets },
      options: {
        animation: false,
        responsive: false,
        // a tooltip drawn inside a 36-pixel canvas is cut off: the values go in the
        // element's own hover text instead
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false } },
      },
    });
  });
})();
