/* ISTOK admin: an inline table that scrolls sideways (Django's admin CSS on a narrow
   screen) becomes a region named after its heading that the keyboard can reach, so its
   hidden columns can be scrolled into view without a mouse. Loaded by
   istok_core.admin.LabelledWidgetsMixin. */
"use strict";
(function () {
  function update() {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      if (group.scrollWidth > group.clientWidth) {
        var heading = group.querySelector(".inline-heading, h2");
        group.setAttribute("tabindex", "0");
        group.setAttribute("role", "region");
        if (heading && heading.id) {
          group.setAttribute("aria-labelledby", heading.id);
        } else if (heading) {
          group.setAttribute("aria-label", heading.textContent.trim());
        }
      } else if (group.getAttribute("role") === "region") {
        ["tabindex", "role", "aria-labelledby", "aria-label"].forEach(function (name) {
          group.removeAttribute(name);
        });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", update);
})();
