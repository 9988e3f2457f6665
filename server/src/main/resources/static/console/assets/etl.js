// ETL pages: draws the stars-by-language bar chart and a repository's star history from data-chart attributes
// (JSON the server renders), with the Chart.js WebJar. No inline scripts: the console's CSP allows only our files.
(function () {
  'use strict';

  function data(id) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) {
      return null;
    }
    return { canvas: canvas, chart: JSON.parse(canvas.getAttribute('data-chart')) };
  }

  function languages() {
    var found = data('stars-by-language');
    if (!found) {
      return;
    }
    new window.Chart(found.canvas, {
      type: 'bar',
      data: {
        labels: found.chart.labels,
        datasets: [{ label: 'Stars', data: found.chart.stars, backgroundColor: '#2563eb' }]
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } } }
    });
  }

  function history() {
    var found = data('star-history');
    if (!found) {
      return;
    }
    var labels = found.chart.at.map(function (at) {
      return new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
    });
    new window.Chart(found.canvas, {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          { label: 'Stars', data: found.chart.stars, borderColor: '#2563eb', backgroundColor: '#2563eb22', tension: 0.2 },
          { label: 'Forks', data: found.chart.forks, borderColor: '#16a34a', backgroundColor: '#16a34a22', tension: 0.2 }
        ]
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    languages();
    history();
  });
})();
