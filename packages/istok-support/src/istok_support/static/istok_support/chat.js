/* istok-support: the chat (customer page, widget, staff conversation), plain JavaScript.

   The chat works without this file: its forms post and the page shows the messages. With
   it, a form's message goes through the REST API and new messages appear without a reload:
   over the WebSocket when it connects (each event it brings makes the chat ask the API for
   the messages after the last one shown), by asking the API every few seconds when it
   cannot. Text is inserted with textContent, never as HTML. Every text the chat shows
   comes from the page (data-text-* attributes), in the page's language.

   Markup: an element with data-istok-support-chat and
     data-messages-url  GET ?after=<id>: the messages after a cursor
     data-send-url      POST {"text"} or {"action"}: send a message or press a button
     data-read-url      POST: mark the other side's messages read (optional)
     data-socket-url    the conversation's WebSocket path (optional)
     data-cursor        the id of the last message shown
     data-poll          milliseconds between two polls without a WebSocket (default 3000)
   holding .istok-support-chat__log (scrolling, around the
   .istok-support-chat__messages list), .istok-support-chat__replies (the
   quick-reply buttons), .istok-support-chat__form (a textarea named "text") and
   .istok-support-chat__error.
*/
(function () {
  "use strict";

  var SLOW_POLL = 30000; // with a WebSocket: a safety net only
  var MAX_BACKOFF = 30000;

  function Chat(root) {
    this.root = root;
    this.data = root.dataset;
    this.log = root.querySelector(".istok-support-chat__log");
    this.list = root.querySelector(".istok-support-chat__messages");
    this.replies = root.querySelector(".istok-support-chat__replies");
    this.form = root.querySelector(".istok-support-chat__form");
    this.error = root.querySelector(".istok-support-chat__error");
    this.status = root.querySelector(".istok-support-chat__connection");
    this.cursor = parseInt(this.data.cursor || "0", 10) || 0;
    this.poll = parseInt(this.data.poll || "3000", 10) || 3000;
    this.socket = null;
    this.connected = false;
    this.backoff = 1000;
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.stopped = false;
  }

  Chat.prototype.csrf = function () {
    var input = this.root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };

  Chat.prototype.request = function (method, url, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": this.csrf() },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          return { ok: response.ok, status: response.status, json: json };
        });
    });
  };

  Chat.prototype.start = function () {
    var chat = this;
    this.root.classList.add("istok-support-chat--live");
    this.scrollDown();
    if (this.form) {
      this.form.addEventListener("submit", function (event) {
        // A file goes with the form itself (the page takes it); text through the API.
        var file = chat.form.querySelector("input[type=file]");
        if (file && file.files && file.files.length) {
          return;
        }
        event.preventDefault();
        var field = chat.form.querySelector("[name=text]");
        var text = field.value;
        if (!text.trim()) {
          field.focus();
          return;
        }
        chat.send({ text: text }, function () {
          field.value = "";
          field.focus();
        });
      });
      // Enter sends, Shift+Enter starts a new line.
      var textarea = this.form.querySelector("textarea[name=text]");
      if (textarea) {
        textarea.addEventListener("keydown", function (event) {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            chat.form.requestSubmit();
          }
        });
      }
    }
    if (this.replies) {
      this.replies.addEventListener("click", function (event) {
        var button = event.target.closest("button[name=action]");
        if (!button || !chat.replies.contains(button)) {
          return;
        }
        event.preventDefault();
        chat.send({ action: button.value });
      });
    }
    this.connect();
    this.schedule();
    this.markRead();
  };

  Chat.prototype.showError = function (text) {
    if (this.error) {
      this.error.textContent = text || "";
      this.error.hidden = !text;
    }
  };

  Chat.prototype.errorText = function (result) {
    var json = result.json || {};
    var parts = [];
    Object.keys(json).forEach(function (key) {
      var value = json[key];
      if (Array.isArray(value)) {
        parts.push(value.join(" "));
      } else if (typeof value === "string") {
        parts.push(value);
      }
    });
    return parts.join(" ") || this.data.textError || "";
  };

  Chat.prototype.send = function (payload, done) {
    var chat = this;
    var buttons = this.root.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = true;
    });
    this.request("POST", this.data.sendUrl, payload)
      .then(function (result) {
        if (result.ok) {
          chat.showError("");
          if (done) {
            done();
          }
          chat.refresh();
        } else {
          chat.showError(chat.errorText(result));
        }
      })
      .catch(function () {
        chat.showError(chat.data.textOffline || "");
      })
      .then(function () {
        Array.prototype.forEach.call(buttons, function (button) {
          button.disabled = false;
        });
      });
  };

  // Ask for the messages after the cursor; one request at a time, one more if asked
  // meanwhile (a WebSocket event during a poll).
  Chat.prototype.refresh = function () {
    var chat = this;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    var url = this.data.messagesUrl;
    url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" + encodeURIComponent(this.cursor);
    this.request("GET", url)
      .then(function (result) {
        if (result.ok) {
          chat.add(result.json.results || []);
          if (result.json.conversation) {
            chat.update(result.json.conversation);
          }
        }
      })
      .catch(function () {})
      .then(function () {
        chat.busy = false;
        if (chat.again) {
          chat.again = false;
          chat.refresh();
        }
      });
  };

  Chat.prototype.add = function (messages) {
    var chat = this;
    var added = false;
    var fromOthers = false;
    messages.forEach(function (message) {
      if (message.id <= chat.cursor || chat.list.querySelector('[data-id="' + message.id + '"]')) {
        return;
      }
      chat.list.appendChild(chat.render(message));
      chat.cursor = Math.max(chat.cursor, message.id);
      added = true;
      fromOthers = fromOthers || !message.mine;
    });
    if (!added) {
      return;
    }
    var empty = this.root.querySelector(".istok-support-chat__empty");
    if (empty) {
      empty.hidden = true;
    }
    this.scrollDown();
    if (fromOthers) {
      this.markRead();
    }
  };

  // The conversation as it is now: its quick replies; a closed one takes no more text.
  Chat.prototype.update = function (conversation) {
    if (this.replies) {
      var shown = Array.prototype.map
        .call(this.replies.querySelectorAll("button[name=action]"), function (button) {
          return button.value + "\n" + button.textContent;
        })
        .join("\n\n");
      var wanted = (conversation.replies || [])
        .map(function (reply) {
          return reply.action + "\n" + reply.label;
        })
        .join("\n\n");
      if (shown !== wanted) {
        this.showReplies(conversation.replies || []);
      }
    }
    var status = document.querySelector("[data-istok-support-status]");
    if (status && conversation.status_label && status.textContent !== conversation.status_label) {
      status.textContent = conversation.status_label;
      status.className = status.className.replace(
        /istok-support-status--[\w-]+/,
        "istok-support-status--" + conversation.status
      );
    }
    if (conversation.closed && !this.stopped) {
      // Nothing more comes: no polling, no reconnecting, no form.
      this.stopped = true;
      clearTimeout(this.timer);
      if (this.form) {
        this.form.hidden = true;
      }
      if (this.socket) {
        this.socket.close();
      }
    }
  };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  Chat.prototype.render = function (message) {
    var item = document.createElement("li");
    item.className =
      "istok-support-message istok-support-message--" +
      message.sender_kind +
      (message.mine ? " istok-support-message--mine" : "");
    item.dataset.id = String(message.id);
    var meta = document.createElement("p");
    meta.className = "istok-support-message__meta";
    if (message.sender_name) {
      meta.appendChild(element("span", "istok-support-message__sender", message.sender_name));
      meta.appendChild(document.createTextNode(" "));
    }
    var time = document.createElement("time");
    time.className = "istok-support-message__time";
    time.dateTime = message.created;
    time.textContent = message.created_display || "";
    meta.appendChild(time);
    item.appendChild(meta);
    if (message.text) {
      var text = document.createElement("p");
      text.className = "istok-support-message__text";
      text.textContent = message.text;
      item.appendChild(text);
    }
    if (message.orders && message.orders.length) {
      var orders = element("ul", "istok-support-message__orders");
      message.orders.forEach(function (order) {
        var row = element("li", "istok-support-message__order");
        if (order.url) {
          var link = element("a", "", order.title);
          link.href = order.url;
          row.appendChild(link);
        } else {
          row.appendChild(element("span", "", order.title));
        }
        row.appendChild(document.createTextNode(": "));
        row.appendChild(element("strong", "istok-support-message__order-status", order.status_label));
        row.appendChild(document.createTextNode(", "));
        row.appendChild(element("span", "", order.progress_text));
        if (order.deadline_text) {
          row.appendChild(document.createTextNode(", "));
          row.appendChild(element("span", "", order.deadline_text));
        }
        orders.appendChild(row);
      });
      item.appendChild(orders);
    }
    if (message.link && message.link.url) {
      var linkRow = element("p", "istok-support-message__link");
      var button = element(
        "a",
        "istok-button istok-button--secondary istok-button--small",
        message.link.label
      );
      button.href = message.link.url;
      linkRow.appendChild(button);
      item.appendChild(linkRow);
    }
    if (message.attachment) {
      var link = document.createElement("a");
      link.className = "istok-support-message__attachment";
      link.href = message.attachment.url;
      link.textContent = message.attachment.name;
      var para = element("p", "istok-support-message__file");
      para.appendChild(link);
      item.appendChild(para);
    }
    return item;
  };

  Chat.prototype.showReplies = function (buttons) {
    var replies = this.replies;
    var hadFocus = replies.contains(document.activeElement);
    var list = replies.querySelector(".istok-support-chat__reply-list");
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    buttons.forEach(function (choice) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "action";
      button.value = choice.action;
      button.className = "istok-button istok-button--secondary istok-support-chat__reply";
      button.textContent = choice.label;
      item.appendChild(button);
      list.appendChild(item);
    });
    replies.hidden = buttons.length === 0;
    if (hadFocus) {
      var first = list.querySelector("button");
      var field = this.form && this.form.querySelector("[name=text]");
      (first || field || this.log).focus();
    }
  };

  Chat.prototype.markRead = function () {
    if (this.data.readUrl && this.cursor) {
      this.request("POST", this.data.readUrl, { up_to: this.cursor }).catch(function () {});
    }
  };

  Chat.prototype.scrollDown = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  Chat.prototype.setConnected = function (connected) {
    this.connected = connected;
    this.root.dataset.transport = connected ? "websocket" : "polling";
    if (this.status) {
      this.status.textContent = connected ? this.data.textLive || "" : this.data.textPolling || "";
    }
  };

  Chat.prototype.schedule = function () {
    var chat = this;
    clearTimeout(this.timer);
    if (this.stopped) {
      return;
    }
    var delay = this.connected ? SLOW_POLL : this.poll;
    if (document.hidden) {
      delay = Math.max(delay, 4 * this.poll);
    }
    this.timer = setTimeout(function () {
      chat.refresh();
      chat.schedule();
    }, delay);
  };

  Chat.prototype.connect = function () {
    var chat = this;
    var path = this.data.socketUrl;
    if (this.stopped) {
      return;
    }
    if (!path || !("WebSocket" in window)) {
      this.setConnected(false);
      return;
    }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + window.location.host + path);
    } catch (error) {
      this.setConnected(false);
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", function () {
      chat.backoff = 1000;
      chat.setConnected(true);
      chat.schedule();
      chat.refresh(); // whatever came while it was connecting
    });
    socket.addEventListener("message", function () {
      chat.refresh();
    });
    socket.addEventListener("close", function () {
      var wasConnected = chat.connected;
      chat.socket = null;
      chat.setConnected(false);
      if (wasConnected) {
        chat.refresh();
      }
      chat.schedule();
      // Try again later, ever less often; polling goes on meanwhile.
      setTimeout(function () {
        chat.connect();
      }, chat.backoff);
      chat.backoff = Math.min(chat.backoff * 2, MAX_BACKOFF);
    });
  };

  function start() {
    var roots = document.querySelectorAll("[data-istok-support-chat]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.dataset.messagesUrl && root.dataset.sendUrl && window.fetch) {
        new Chat(root).start();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
