// Copies a manual channel's text to the clipboard. The text is also selectable by hand, so the page
// works without this script.
document.addEventListener("click", function (e) {
  var b = e.target.closest("button.copy");
  if (!b) return;
  var ta = document.getElementById(b.dataset.copy);
  if (!ta) return;
  ta.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(ta.value);
  } else {
    document.execCommand("copy");
  }
});
