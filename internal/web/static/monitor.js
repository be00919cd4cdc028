// Live validation of the monitor query editor. As the user types, the query is sent to
// /monitors/validate (with the session and the page's CSRF token); an error comes back in the UI
// language with its line and column, and is shown under the editor with a caret at the column. A valid
// query gets the preview of what it would have matched. All text comes from the server, so this file
// holds none. Without JavaScript, saving shows the same error from the server.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("monitor-form");
  var query = document.getElementById("query");
  var problem = document.getElementById("query-problem");
  var summary = document.getElementById("preview-summary");
  var samples = document.getElementById("preview-samples");
  if (!form || !query || !problem || query.readOnly) {
    return;
  }
  var timer = null;
  var seq = 0;

  function showProblem(err) {
    problem.textContent = "";
    if (!err) {
      problem.hidden = true;
      query.removeAttribute("aria-invalid");
      return;
    }
    var p = document.createElement("p");
    p.className = "problem";
    p.textContent = err.message;
    p.dataset.line = err.line;
    p.dataset.col = err.col;
    var pre = document.createElement("pre");
    pre.className = "caret";
    pre.textContent = err.formatted;
    problem.appendChild(p);
    problem.appendChild(pre);
    problem.hidden = false;
    query.setAttribute("aria-invalid", "true");
  }

  function showPreview(pv) {
    summary.textContent = pv.summary;
    samples.textContent = "";
    pv.samples.forEach(function (sp) {
      var li = document.createElement("li");
      li.className = "post";
      var meta = document.createElement("div");
      meta.className = "meta";
      var author = document.createElement("span");
      author.className = "author";
      author.textContent = (sp.author && (sp.author.name || sp.author.handle)) || "";
      var when = document.createElement("time");
      when.dateTime = sp.created_at;
      when.textContent = sp.created_at.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
      meta.appendChild(author);
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(when);
      var text = document.createElement("p");
      text.className = "text";
      text.textContent = sp.text;
      li.appendChild(meta);
      li.appendChild(text);
      samples.appendChild(li);
    });
  }

  function validate() {
    var mine = ++seq;
    fetch(form.dataset.validate, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": form.dataset.csrf },
      body: JSON.stringify({ query: query.value, preview: true })
    }).then(function (res) {
      if (!res.ok) {
        throw new Error("validate: " + res.status);
      }
      return res.json();
    }).then(function (out) {
      if (mine !== seq) {
        return; // an answer to an older keystroke
      }
      showProblem(out.valid ? null : out.error);
      if (out.preview) {
        showPreview(out.preview);
      }
    }).catch(function () {
      // Live checking is a help; saving still validates on the server.
    });
  }

  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(validate, 300);
  });
});
