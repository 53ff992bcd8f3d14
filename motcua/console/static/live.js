// The public board's live update: reload every data-refresh seconds while the box is ticked.
// Without this script the page is the same, only still; the box shows only when it works.
(function () {
  var box = document.getElementById("live");
  if (!box) { return; }
  box.parentElement.hidden = false;
  var seconds = Number(box.dataset.refresh) || 60;
  setInterval(function () { if (box.checked) { window.location.reload(); } }, seconds * 1000);
})();
