/* istok-catalog: the list page's filters, better with JavaScript and whole without it.
   - A change applies at once: a ticked box, the sort order, a price (when the field is
     left or Enter is pressed); the form is submitted as it is without JavaScript (GET), so
     the URL stays shareable. Empty fields are left out of the URL.
   - On a narrow screen the filter panel (a <details>) starts folded, so the products come
     first; it stays open after a change made in it.
   Loaded with "defer" from a static file: no inline script (Content-Security-Policy). */
(function () {
  "use strict";

  var panel = document.querySelector("[data-istok-filters]");
  if (!panel) {
    return;
  }
  var form = panel.querySelector("form");
  var catalog = document.querySelector("[data-istok-catalog]");
  var narrow = window.matchMedia("(max-width: 48rem)");
  var KEY = "istok-catalog-filters-open";

  function remember(open) {
    try {
      window.sessionStorage.setItem(KEY, open ? "1" : "");
    } catch (error) {
      /* storage refused (private mode): the panel simply starts folded */
    }
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  if (catalog) {
    catalog.classList.add("istok-catalog--enhanced");
  }
  if (narrow.matches && !remembered()) {
    panel.open = false;
  }
  panel.addEventListener("toggle", function () {
    if (narrow.matches) {
      remember(panel.open);
    }
  });

  function submit() {
    // Leave empty fields out of the URL (?q=&price_min= says nothing).
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox") {
        field.disabled = true;
      }
    });
    if (narrow.matches) {
      remember(panel.open);
    }
    form.classList.add("istok-catalog-filters__form--busy");
    form.submit();
  }

  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field.type === "search") {
      return; /* the search applies with Enter or the button: not on every blur */
    }
    if (field.type === "number" && !field.checkValidity()) {
      field.reportValidity();
      return;
    }
    submit();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  form.classList.add("istok-catalog-filters__form--auto");
})();
