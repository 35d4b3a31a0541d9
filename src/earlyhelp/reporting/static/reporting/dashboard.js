// Draws each dashboard chart from the JSON data block named by its canvas (kept out of the page
// for the CSP). The table beside each chart holds the same numbers for everyone.
(function () {
  'use strict'
  if (typeof window.Chart === 'undefined') return
  var colours = ['#1d70b8', '#f47738', '#00703c', '#d4351c', '#4c2c92', '#505a5f']
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches

  function config (spec) {
    var percent = Boolean(spec.percent)
    var horizontal = Boolean(spec.horizontal)
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        precision: 0,
        callback: function (value) { return percent ? value + '%' : value }
      }
    }
    if (percent) { valueAxis.max = 100 }
    var scales = horizontal ? { x: valueAxis, y: { ticks: { autoSkip: false } } } : { y: valueAxis, x: {} }
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          var colour = colours[index % colours.length]
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: colour,
            borderColor: colour,
            borderWidth: spec.type === 'line' ? 3 : 0,
            spanGaps: true,
            pointRadius: 4
          }
        })
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        animation: reduceMotion ? false : { duration: 400 },
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: horizontal ? 1.4 : 2,
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = item.parsed[horizontal ? 'x' : 'y']
                return item.dataset.label + ': ' + (percent ? value + '%' : value)
              }
            }
          }
        }
      }
    }
  }

  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute('data-chart'))
    if (!source) return
    try {
      var chart = new window.Chart(canvas, config(JSON.parse(source.textContent)))
      canvas.setAttribute('data-chart-drawn', 'true')
      return chart
    } catch (error) {
      // The table beside the chart still has every number.
      canvas.parentNode.hidden = true
    }
  })
})()
