// Live validation of the crisis plan editor. When the admin pauses typing, the YAML is posted to
// /plan/validate (with the session and the page's CSRF token); every problem comes back in the UI
// language with its YAML path, line and column, and is listed under the editor. Clicking a problem
// puts the cursor on its line. All text comes from the server, so this file holds none. Without
// JavaScript, saving shows the same problems from the server.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("plan-form");
  var yaml = document.getElementById("plan-yaml");
  var list = document.getElementById("plan-problems");
  var status = document.getElementById("plan-status");
  if (!form || !yaml || !list || !status) {
    return;
  }
  var timer = null;
  var seq = 0;

  // goTo moves the cursor to the start of line (1-based) plus col-1, and scrolls it into view.
  function goTo(line, col) {
    var lines = yaml.value.split("\n");
    var pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      pos += lines[i].length + 1;
    }
    if (col > 1 && line - 1 < lines.length) {
      pos += Math.min(col - 1, lines[line - 1].length);
    }
    yaml.focus();
    yaml.setSelectionRange(pos, pos);
    var lineHeight = yaml.scrollHeight / Math.max(lines.length, 1);
    yaml.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  function show(problems) {
    list.textContent = "";
    problems.forEach(function (p) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.dataset.line = p.line;
      b.dataset.col = p.column;
      b.textContent = p.text;
      li.appendChild(b);
      list.appendChild(li);
    });
    if (problems.length === 0) {
      status.textContent = status.dataset.ok;
      yaml.removeAttribute("aria-invalid");
    } else {
      status.textContent = status.dataset.count.replace("%d", String(problems.length));
      yaml.setAttribute("aria-invalid", "true");
    }
  }

  function validate() {
    var mine = ++seq;
    fetch(form.dataset.validate, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify({ yaml: yaml.value })
    }).then(function (res) {
      if (!res.ok) {
        throw new Error("validate: " + res.status);
      }
      return res.json();
    }).then(function (out) {
      if (mine === seq) { // otherwise an answer to an older keystroke
        show(out.problems || []);
      }
    }).catch(function () {
      // Live checking is a help; saving still validates on the server.
    });
  }

  list.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-line]");
    if (b && Number(b.dataset.line) > 0) {
      goTo(Number(b.dataset.line), Number(b.dataset.col));
    }
  });
  yaml.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 400);
  });
});
