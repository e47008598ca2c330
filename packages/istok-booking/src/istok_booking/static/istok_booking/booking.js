// The booking and reschedule pages, a little quicker with JavaScript (a static file, so a
// Content-Security-Policy without 'unsafe-inline' runs it). Progressive enhancement: the
// pages work without it, each step a plain form.
//
// - Choosing a kind of visit or a day shows that day's free times at once (the first
//   form is sent on change; its button stays for keyboards and old browsers).
// - The contact field follows the contact method: a phone field (the profile's phone put
//   back) for "phone", a text field for a messenger's link or handle.
(function () {
  document.querySelectorAll("form[data-istok-booking-search]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio], input[type=date], select")) {
        if (event.target.type === "date" && !event.target.value) { return; }
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
  });

  document.querySelectorAll("[data-istok-booking-contact]").forEach(function (form) {
    var value = form.querySelector("[name=contact_value]");
    var radios = form.querySelectorAll("[name=contact_method]");
    if (!value || !radios.length) { return; }
    function category(method) { return method === "phone" ? "phone" : "network"; }
    function show(method) {
      var isPhone = category(method) === "phone";
      value.type = isPhone ? "tel" : "text";
      value.autocomplete = isPhone ? "tel" : "off";
      value.placeholder = (isPhone ? value.dataset.phonePlaceholder : value.dataset.networkPlaceholder) || "";
    }
    var checked = form.querySelector("[name=contact_method]:checked");
    var method = checked ? checked.value : "phone";
    // What was typed for a call and for a messenger, each kept while the other is shown.
    var typed = { phone: value.dataset.phone || "", network: "" };
    typed[category(method)] = value.value;
    show(method);
    radios.forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked || category(radio.value) === category(method)) {
          method = radio.value;
          show(method);
          return;
        }
        typed[category(method)] = value.value;
        method = radio.value;
        value.value = typed[category(method)];
        show(method);
      });
    });
  });
})();
