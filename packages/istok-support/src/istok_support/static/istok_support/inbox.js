/* istok-support: the staff inbox says when something changed, plain JavaScript.

   Over the inbox's WebSocket (data-socket-url) when it connects, else by asking the API
   (data-inbox-url) every few seconds whether the list differs from the one shown
   (data-fingerprint), it shows the notice .istok-support-inbox__changed, a link that
   reloads the list, in a role="status" region. The list itself is never rewritten under
   the reader's eyes. */
(function () {
  "use strict";

  var POLL = 10000;

  function fingerprint(conversations) {
    return conversations
      .map(function (c) {
        return c.id + ":" + c.status + ":" + c.unread;
      })
      .join(",");
  }

  function start(root) {
    var notice = root.querySelector(".istok-support-inbox__changed");
    var shown = root.dataset.fingerprint || "";
    var timer = null;
    var socket = null;

    function changed() {
      notice.hidden = false;
      clearTimeout(timer);
      if (socket) {
        socket.close();
      }
    }

    function poll() {
      fetch(root.dataset.inboxUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (json) {
          var list = json && (Array.isArray(json) ? json : json.results);
          if (list && fingerprint(list) !== shown) {
            changed();
          } else {
            timer = setTimeout(poll, POLL);
          }
        })
        .catch(function () {
          timer = setTimeout(poll, POLL);
        });
    }

    if (root.dataset.socketUrl && "WebSocket" in window) {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + root.dataset.socketUrl);
      socket.addEventListener("open", function () {
        root.dataset.transport = "websocket";
      });
      socket.addEventListener("message", changed);
    }
    if (root.dataset.inboxUrl) {
      timer = setTimeout(poll, POLL);
    }
  }

  function init() {
    var roots = document.querySelectorAll("[data-istok-support-inbox]");
    Array.prototype.forEach.call(roots, start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
