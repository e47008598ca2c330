// The "Copy the link" button of the referral page (a static file, so a
// Content-Security-Policy without 'unsafe-inline' runs it).
// Progressive enhancement: without JavaScript (or the clipboard API) the link stays a
// read-only field to select and copy by hand.
(function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll(".istok-loyalty-copy-button").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copiedText;
      });
    });
  });
})();
