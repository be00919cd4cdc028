// Live incident room. The page listens to /incidents/{id}/events (server-sent events): on "changed"
// (a new timeline entry) and on "tick" (the clocks moved on) it fetches itself again and swaps in the
// parts marked data-live, the clocks and the timeline, leaving every form as the user left it. All
// text comes from the server in the page's language, so this file holds none.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var room = document.getElementById("incident-room");
  if (!room || !window.EventSource || !window.DOMParser || !window.fetch) {
    return;
  }
  var busy = false;
  var again = false;

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (resp) {
        if (!resp.ok) {
          throw new Error("status " + resp.status);
        }
        return resp.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        room.querySelectorAll("[data-live][id]").forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) {
            el.replaceWith(document.importNode(fresh, true));
          }
        });
        var status = doc.getElementById("incident-status");
        var current = document.getElementById("incident-status");
        if (status && current) {
          current.textContent = status.textContent;
        }
      })
      .catch(function () {
        // The next event tries again; a dropped connection is shown by nothing but stale clocks.
      })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource(room.dataset.events);
  source.addEventListener("changed", refresh);
  source.addEventListener("tick", refresh);
  window.addEventListener("pagehide", function () { source.close(); });
});
