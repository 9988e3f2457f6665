// The overview page: fetches /console/api/overview and draws every section's totals and charts, then refreshes them
// in place every few seconds (paused while the tab is hidden).
(function () {
  'use strict';

  var PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
  var NAMED = { '2xx': '#16a34a', '3xx': '#2563eb', '4xx': '#f59e0b', '5xx': '#dc2626' };
  var BAD = /(reject|fail|error|invalid)/i;

  var root = document.getElementById('overview');
  var errorBox = document.getElementById('overview-error');
  var updated = document.getElementById('overview-updated');
  var charts = {};
  var refreshMillis = 5000;
  var timer = null;
  var windowStart = null;
  var windowEnd = null;

  function colour(name, index) {
    if (NAMED[name]) {
      return NAMED[name];
    }
    return BAD.test(name) ? '#dc2626' : PALETTE[index % PALETTE.length];
  }

  function timeLabel(millis) {
    return new Date(millis).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function datasets(chart) {
    var bar = chart.kind === 'STACKED_BAR';
    return chart.series.map(function (series, index) {
      var c = colour(series.name, index);
      return {
        label: series.name,
        data: series.points.map(function (point) {
          return bar ? Number(point.value) : { x: Date.parse(point.at), y: Number(point.value) };
        }),
        borderColor: c,
        backgroundColor: bar ? c : c + '22',
        borderWidth: bar ? 0 : 2,
        pointRadius: 0,
        tension: 0.25,
        fill: !bar && chart.series.length === 1
      };
    });
  }

  function labels(chart) {
    var first = chart.series[0];
    return first ? first.points.map(function (point) { return timeLabel(Date.parse(point.at)); }) : [];
  }

  function isQuiet(chart) {
    return chart.series.every(function (series) {
      return series.points.every(function (point) { return Number(point.value) === 0; });
    });
  }

  function createChart(canvas, chart) {
    var bar = chart.kind === 'STACKED_BAR';
    return new Chart(canvas, {
      type: bar ? 'bar' : 'line',
      data: bar ? { labels: labels(chart), datasets: datasets(chart) } : { datasets: datasets(chart) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: bar ? { stacked: true, ticks: { maxTicksLimit: 8 } }
            : { type: 'linear', min: windowStart, max: windowEnd, ticks: { maxTicksLimit: 7, callback: timeLabel } },
          y: { beginAtZero: true, stacked: bar, title: { display: true, text: chart.unit } }
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { title: function (items) {
            return items.length && !bar ? timeLabel(items[0].parsed.x) : (items.length ? items[0].label : '');
          } } }
        }
      }
    });
  }

  function updateChart(instance, chart) {
    var fresh = datasets(chart);
    if (chart.kind === 'STACKED_BAR') {
      instance.data.labels = labels(chart);
    } else {
      // Lines span the whole window, so a level that started being sampled recently sits at the right edge.
      instance.options.scales.x.min = windowStart;
      instance.options.scales.x.max = windowEnd;
    }
    fresh.forEach(function (dataset, index) {
      if (instance.data.datasets[index]) {
        instance.data.datasets[index].data = dataset.data;
      } else {
        instance.data.datasets.push(dataset);
      }
    });
    instance.data.datasets.length = fresh.length;
    instance.update('none');
  }

  function renderTotals(container, totals) {
    container.replaceChildren.apply(container, totals.map(function (total) {
      var tile = element('div', 'total');
      tile.append(element('div', 'label', total.label), element('div', 'value', total.value));
      if (total.hint) {
        tile.append(element('div', 'hint', total.hint));
      }
      return tile;
    }));
  }

  function renderSection(section, minutes) {
    var id = 'section-' + section.key;
    var block = document.getElementById(id);
    if (!block) {
      block = element('section', 'overview-section');
      block.id = id;
      block.append(element('h2', null, section.title), element('div', 'totals'), element('div', 'charts'));
      root.append(block);
    }
    var problem = block.querySelector('.alert');
    if (section.error) {
      if (!problem) {
        problem = element('div', 'alert alert-error');
        block.insertBefore(problem, block.children[1]);
      }
      problem.textContent = section.error;
    } else if (problem) {
      problem.remove();
    }
    renderTotals(block.querySelector('.totals'), section.totals);
    var grid = block.querySelector('.charts');
    section.charts.forEach(function (chart) {
      var key = section.key + '/' + chart.key;
      var card = grid.querySelector('[data-chart="' + chart.key + '"]');
      if (!card) {
        card = element('div', 'chart-card');
        card.setAttribute('data-chart', chart.key);
        var box = element('div', 'chart-box');
        var canvas = element('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', chart.title);
        box.append(canvas);
        card.append(element('h3', null, chart.title), element('p', 'chart-note'), box);
        grid.append(card);
        charts[key] = createChart(canvas, chart);
      } else {
        updateChart(charts[key], chart);
      }
      card.querySelector('.chart-note').textContent =
        isQuiet(chart) ? 'No activity in the last ' + minutes + ' minutes.' : '';
    });
  }

  function render(view) {
    var loading = document.getElementById('overview-loading');
    if (loading) {
      loading.remove();
    }
    refreshMillis = view.refresh_millis || refreshMillis;
    windowStart = Date.parse(view.from);
    windowEnd = Date.parse(view.generated_at);
    view.sections.forEach(function (section) { renderSection(section, view.minutes); });
    if (view.sections.length === 0) {
      root.replaceChildren(element('p', 'empty', 'Nothing to show yet: no part of this build reports to the overview.'));
    }
    updated.textContent = 'Updated ' + new Date(view.generated_at).toLocaleTimeString() + '.';
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function refresh() {
    fetch(root.getAttribute('data-endpoint'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 401) {
          window.location.href = root.getAttribute('data-login');
          return null;
        }
        if (!response.ok) {
          throw new Error('the server answered ' + response.status);
        }
        return response.json();
      })
      .then(function (view) {
        if (view) {
          render(view);
          errorBox.hidden = true;
        }
      })
      .catch(function (failure) {
        showError('Could not refresh the overview (' + failure.message + '). Retrying every few seconds; if this '
          + 'stays, check that the server is running and reload the page.');
      })
      .finally(schedule);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (document.hidden) {
        schedule();
      } else {
        refresh();
      }
    }, refreshMillis);
  }

  refresh();
})();
