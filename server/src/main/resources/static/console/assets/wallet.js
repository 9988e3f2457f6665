// A wallet's console page: draws the balance-over-time chart from the canvas's data-series attribute.
(function () {
  'use strict';

  function draw() {
    var canvas = document.getElementById('balance-chart');
    if (!canvas || typeof Chart === 'undefined') {
      return;
    }
    var points = JSON.parse(canvas.getAttribute('data-series') || '[]');
    var currency = canvas.getAttribute('data-currency') || '';
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: points.map(function (p) {
          return new Date(p.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
        }),
        datasets: [{
          label: 'Balance (' + currency + ')',
          data: points.map(function (p) { return Number(p.balance); }),
          borderColor: '#2563eb',
          backgroundColor: '#2563eb22',
          borderWidth: 2,
          pointRadius: points.length > 60 ? 0 : 2,
          stepped: true,
          fill: true
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } },
        plugins: { legend: { display: false } }
      }
    });
  }

  document.addEventListener('DOMContentLoaded', draw);
})();
