// Live alert list. The page subscribes to /alerts/events (server-sent events) and puts each alert that
// changes into the open or the recent table, newest first, without a reload. Every text comes from the
// server in the page's language, so this file holds none. The browser's EventSource reconnects by
// itself after a dropped connection; after a reconnect the page reloads once to catch up on anything
// missed meanwhile.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("alerts-live");
  var open = document.getElementById("open-alerts");
  var resolved = document.getElementById("resolved-alerts");
  if (!status || !open || !resolved || !window.EventSource) {
    return;
  }
  var connectedBefore = false;
  var source = new EventSource("/alerts/events");

  source.addEventListener("open", function () {
    if (connectedBefore) {
      window.location.reload();
      return;
    }
    connectedBefore = true;
    status.textContent = status.dataset.live;
    status.classList.remove("problem");
  });
  source.addEventListener("error", function () {
    status.textContent = status.dataset.offline;
  });
  source.addEventListener("alert", function (e) {
    var a;
    try {
      a = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    place(a);
  });

  function cell(text) {
    var td = document.createElement("td");
    if (text !== undefined) {
      td.textContent = text;
    }
    return td;
  }

  function row(a) {
    var tr = document.createElement("tr");
    tr.dataset.id = a.id;
    tr.className = "fresh";
    var sev = cell();
    var badge = document.createElement("span");
    badge.className = "severity severity-" + a.severity;
    badge.textContent = a.severity_label;
    if (a.severity_meaning) {
      badge.title = a.severity_meaning;
    }
    sev.appendChild(badge);
    tr.appendChild(sev);
    tr.appendChild(cell(a.monitor_name));
    tr.appendChild(cell(a.kind_label));
    var sum = cell();
    var link = document.createElement("a");
    link.href = "/alerts/" + encodeURIComponent(a.id);
    link.textContent = a.summary;
    sum.appendChild(link);
    tr.appendChild(sum);
    var when = cell();
    var time = document.createElement("time");
    time.dateTime = a.updated_at;
    time.textContent = a.when;
    when.appendChild(time);
    tr.appendChild(when);
    tr.appendChild(cell(a.acked_by || ""));
    return tr;
  }

  function place(a) {
    var old = document.querySelectorAll("tr[data-id]");
    for (var i = 0; i < old.length; i++) {
      if (old[i].dataset.id === a.id) {
        old[i].remove();
      }
    }
    var body = a.status === "open" ? open : resolved;
    body.insertBefore(row(a), body.firstChild);
    sync("open", open);
    sync("resolved", resolved);
  }

  // sync shows a table when it has rows and its empty note when it has none.
  function sync(name, body) {
    var has = body.rows.length > 0;
    document.getElementById(name + "-table").hidden = !has;
    document.getElementById(name + "-empty").hidden = has;
  }
});
