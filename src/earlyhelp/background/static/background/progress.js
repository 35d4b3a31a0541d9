// While a file is being made, load the page again every few seconds to show how far it has got.
// Politely: only while the tab is in view, and never once the file is finished (the element is gone then).
(function () {
  var waiting = document.querySelector("[data-refresh-seconds]");
  if (!waiting) return;
  var seconds = parseInt(waiting.getAttribute("data-refresh-seconds"), 10) || 3;
  function later() {
    window.setTimeout(function () {
      if (document.visibilityState === "hidden") { later(); return; }
      window.location.reload();
    }, seconds * 1000);
  }
  later();
})();
