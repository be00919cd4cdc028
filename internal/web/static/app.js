// Small progressive enhancements. Every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Copy buttons: shown only when the clipboard is available.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (btn) {
    var target = document.getElementById(btn.dataset.copy);
    if (!target || !navigator.clipboard) {
      return;
    }
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () {
        btn.textContent = btn.dataset.done;
      });
    });
  });

  // Destructive forms ask first. Without JavaScript they submit directly.
  document.querySelectorAll("form.confirm[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.dataset.confirm)) {
        ev.preventDefault();
      }
    });
  });

  // Picking a date clears the period preset, which the dates would override anyway.
  var period = document.getElementById("period");
  ["since", "until"].forEach(function (id) {
    var el = document.getElementById(id);
    if (period && el) {
      el.addEventListener("change", function () {
        if (el.value) {
          period.value = "";
        }
      });
    }
  });
});
