// The sources page reloads itself so the status columns stay fresh, unless the user is in the middle
// of something on the page (a focused control), in which case it tries again at the next tick.
(function () {
  "use strict";
  var table = document.getElementById("sources");
  if (!table) {
    return;
  }
  var seconds = parseInt(table.getAttribute("data-refresh"), 10) || 10;
  window.setInterval(function () {
    var a = document.activeElement;
    if (a && a !== document.body && (a.tagName === "INPUT" || a.tagName === "SELECT" || a.tagName === "TEXTAREA")) {
      return;
    }
    window.location.reload();
  }, seconds * 1000);
})();
