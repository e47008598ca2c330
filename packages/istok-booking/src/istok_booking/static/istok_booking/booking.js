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
    if (!value) { return; }
    var phone = value.dataset.phone || "";
    var remembered = { phone: value.value };
    function follow(method, previous) {
      if (previous) { remembered[previous === "phone" ? "phone" : "network"] = value.value; }
      var isPhone = method === "phone";
      value.type = isPhone ? "tel" : "text";
      value.autocomplete = isPhone ? "tel" : "off";
      value.placeholder = isPhone ? (value.dataset.phonePlaceholder || "") : (value.dataset.networkPlaceholder || "");
      var kept = remembered[isPhone ? "phone" : "network"];
      value.value = kept !== undefined ? kept : (isPhone ? phone : "");
    }
    var current = form.querySelector("[name=contact_method]:checked");
    var method = current ? current.value : "phone";
    form.querySelectorAll("[name=contact_method]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) { return; }
        follow(radio.value, method);
        method = radio.value;
      });
    });
  });
})();
