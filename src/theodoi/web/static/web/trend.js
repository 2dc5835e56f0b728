// An indicator's values over the periods (Chart.js, served locally): axes, each value on
// hover written the Vietnamese way, and the milestone's target as a dashed line.
(function () {
  "use strict";
  const source = document.getElementById("du-lieu-dien-bien");
  const canvas = document.getElementById("dien-bien");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  const unit = data.unit ? (data.unit.startsWith("%") ? "%" : " " + data.unit) : "";
  const datasets = [
    { label: "Thực hiện", data: data.values, borderColor: "#0b4f8a", backgroundColor: "#0b4f8a", pointRadius: 3, tension: 0 },
  ];
  if (data.target !== null) {
    datasets.push({
      label: data.target_label, data: data.labels.map(() => data.target),
      borderColor: "#198754", borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5,
    });
  }
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            label: (c) => (c.datasetIndex === 0 ? `Thực hiện: ${number.format(c.parsed.y)}${unit}` : c.dataset.label),
          },
        },
      },
      scales: {
        x: { title: { display: true, text: "Kỳ" } },
        y: { title: { display: true, text: data.unit || "Giá trị" }, ticks: { callback: (v) => number.format(v) } },
      },
    },
  });
})();
