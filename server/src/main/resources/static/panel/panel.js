// Panel behaviour without inline scripts (the Content-Security-Policy forbids them).
(function () {
  'use strict';
  const meta = (name) => document.querySelector('meta[name="' + name + '"]')?.content;

  // htmx requests carry the CSRF token like forms do.
  document.body.addEventListener('htmx:configRequest', (e) => {
    const header = meta('csrf-header');
    const token = meta('csrf-token');
    if (header && token) {
      e.detail.headers[header] = token;
    }
  });

  // <form data-confirm="..."> asks before submitting (terminate, delete, revoke).
  document.addEventListener('submit', (e) => {
    const form = e.target;
    const submitter = e.submitter;
    const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      e.preventDefault();
    }
  }, true);

  // Bulk selection: the header checkbox toggles every row.
  document.addEventListener('change', (e) => {
    if (e.target.matches('[data-select-all]')) {
      document.querySelectorAll('input[name="' + e.target.dataset.selectAll + '"]')
        .forEach((box) => { box.checked = e.target.checked; });
    }
  });

  // <canvas data-chart="url"> draws the line chart the JSON at url describes: {labels, series:
  // [{label, values, axis?}]}; a series with axis 'right' has a scale of its own on the right.
  function drawCharts() {
    if (typeof Chart === 'undefined') {
      return;
    }
    document.querySelectorAll('canvas[data-chart]').forEach((canvas) => {
      fetch(canvas.dataset.chart, { headers: { Accept: 'application/json' } })
        .then((r) => r.json())
        .then((data) => {
          const scales = { y: { beginAtZero: true, ticks: { precision: 0 } } };
          if (data.series.some((s) => s.axis === 'right')) {
            scales.y1 = { beginAtZero: true, position: 'right', ticks: { precision: 0 }, grid: { drawOnChartArea: false } };
          }
          new Chart(canvas, {
            type: 'line',
            data: {
              labels: data.labels,
              datasets: data.series.map((s) => ({ label: s.label, data: s.values, tension: 0.2, fill: false,
                yAxisID: s.axis === 'right' ? 'y1' : 'y' }))
            },
            options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales }
          });
          canvas.dataset.drawn = 'true';
        });
    });
  }
  drawCharts();
})();
