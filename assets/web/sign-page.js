// The signing page's browser side: talks to NCALayer over its local WebSocket, then posts the
// signature to the page's own address. Served same-origin as a file (the page's
// Content-Security-Policy allows no inline script). Every text is in the page already: this
// script only chooses which [data-state] block to show and fills in [data-detail].
//
// NCALayer protocol (shared/eds.md): on open it greets with {"result":{"version":…}}; one
// request at a time; answers {"status":true,"body":{"result":…}} (one CMS, or an array with one),
// {"status":true,"body":{}} when the user pressed Cancel, {"status":false,"code":…,"message":…}
// on failure. A socket that errors or closes before it opens means NCALayer is not running.
(function () {
  "use strict";

  var root = document.getElementById("sign");
  if (!root) {
    return;
  }
  var status = document.getElementById("status");
  var signButton = document.getElementById("sign-button");
  var busy = false;
  var GREETING_PATIENCE_MS = 3000;

  function show(state, detail) {
    var blocks = status.querySelectorAll("[data-state]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var match = block.getAttribute("data-state") === state;
      block.hidden = !match;
      if (match) {
        var slot = block.querySelector("[data-detail]");
        if (slot) {
          slot.textContent = detail || "";
          slot.hidden = !detail;
        }
        var fallback = block.querySelector("[data-default]");
        if (fallback) {
          fallback.hidden = !!detail;
        }
      }
    }
    status.setAttribute("data-current", state);
  }

  // After an answer that lets the user try again.
  function ready() {
    busy = false;
    signButton.disabled = false;
  }

  // After an answer that ends the page's work (signed, or the link is gone).
  function finished() {
    busy = false;
    signButton.hidden = true;
    var retries = document.querySelectorAll("[data-action=sign]");
    for (var i = 0; i < retries.length; i++) {
      retries[i].disabled = true;
    }
  }

  function signRequest() {
    return {
      module: "kz.gov.pki.knca.basics",
      method: "sign",
      args: {
        allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore"],
        format: "cms",
        data: root.getAttribute("data-document"),
        signingParams: { decode: true, encapsulate: true, digested: false },
        signerParams: {
          extKeyUsageOids: [root.getAttribute("data-eku")],
          iin: root.getAttribute("data-iin"),
          chain: []
        },
        locale: root.getAttribute("data-locale")
      }
    };
  }

  function isGreeting(message) {
    return (
      message &&
      typeof message === "object" &&
      !("status" in message) &&
      message.result &&
      typeof message.result === "object" &&
      "version" in message.result
    );
  }

  function sign() {
    if (busy) {
      return;
    }
    busy = true;
    signButton.disabled = true;
    show("connecting");

    var socket;
    var opened = false;
    var settled = false;
    var requested = false;

    function settle() {
      if (settled) {
        return false;
      }
      settled = true;
      try {
        socket.close();
      } catch (ignored) {
        // Already closed.
      }
      return true;
    }

    function lost() {
      if (!settle()) {
        return;
      }
      if (!opened) {
        show("not-running");
      } else {
        show("failed", "NCALayer closed the connection");
      }
      ready();
    }

    function send() {
      if (requested) {
        return;
      }
      requested = true;
      show("choose-key");
      socket.send(JSON.stringify(signRequest()));
    }

    try {
      socket = new WebSocket(root.getAttribute("data-ncalayer"));
    } catch (error) {
      settled = true;
      show("not-running");
      ready();
      return;
    }
    socket.onopen = function () {
      opened = true;
      // Should a version never greet, ask anyway after a moment; a late greeting is ignored.
      window.setTimeout(function () {
        if (!settled) {
          send();
        }
      }, GREETING_PATIENCE_MS);
    };
    socket.onerror = lost;
    socket.onclose = lost;
    socket.onmessage = function (event) {
      if (settled) {
        return;
      }
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        settle();
        show("failed", "NCALayer sent an unreadable answer");
        ready();
        return;
      }
      if (!requested) {
        // The version greeting comes first; the request goes only after it.
        if (isGreeting(message)) {
          send();
        }
        return;
      }
      if (isGreeting(message)) {
        return;
      }
      settle();
      answered(message);
    };
  }

  function answered(message) {
    if (message.status === true || message.status === "true") {
      var body = message.body || {};
      var result = body.result;
      var empty =
        result === undefined ||
        result === null ||
        result === "" ||
        (Array.isArray(result) && result.length === 0);
      if (empty) {
        show("cancelled");
        ready();
        return;
      }
      submit(result);
      return;
    }
    var detail = [message.code, message.message, message.details]
      .filter(function (part) {
        return typeof part === "string" && part.length > 0;
      })
      .join(": ");
    show("failed", detail);
    ready();
  }

  function submit(result) {
    show("sending");
    fetch(window.location.pathname, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ cms: result }),
      credentials: "same-origin",
      cache: "no-store",
      redirect: "error"
    })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = null;
          try {
            data = JSON.parse(text);
          } catch (ignored) {
            data = null;
          }
          outcome(response.status, data || {});
        });
      })
      .catch(function () {
        show("network");
        ready();
      });
  }

  function text(value) {
    return typeof value === "string" ? value : "";
  }

  function outcome(httpStatus, data) {
    var code = text(data.code) || text(data.refusal) || text(data.reason);
    if (httpStatus >= 200 && httpStatus < 300) {
      show("done", text(data.message));
      finished();
      return;
    }
    if (httpStatus === 410 || data.status === "gone") {
      show("gone");
      finished();
      return;
    }
    if (httpStatus === 429 || data.status === "too_many") {
      // Too many refused signatures with this link: only a new link from the bot helps.
      show("refused", text(data.message));
      finished();
      return;
    }
    if (code === "iin-mismatch") {
      show("wrong-iin");
    } else if (code === "wrong-purpose") {
      show("wrong-purpose");
    } else if (httpStatus === 503 || data.status === "unavailable") {
      show("unavailable");
    } else if (text(data.message)) {
      show("refused", text(data.message));
    } else {
      show("error");
    }
    ready();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest) {
      var action = target.closest("[data-action=sign]");
      if (action && !action.disabled) {
        event.preventDefault();
        sign();
      }
    }
  });
  root.setAttribute("data-ready", "true");
})();
