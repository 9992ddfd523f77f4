/*
 * Session timeout warning (WCAG 2.2.1 Timing Adjustable), progressive enhancement.
 *
 * Reads from <body>: data-idle-seconds, data-warn-seconds, data-keepalive-url, data-expired-url;
 * the CSRF token from <meta name="csrf-token">; the translated texts from data-text-* on
 * <dialog id="session-timeout-dialog"> (rendered by layout.html only when logged in).
 *
 * warn-seconds before the idle timeout it opens the dialog. "Stay logged in" POSTs to the keepalive
 * URL (X-CSRFToken, Accept: application/json) and restarts the timer; "Log out" submits the header
 * logout form (a plain form button, works without this script). At expiry it POSTs to the expired
 * URL (CSRF token, this page as `next`, and the fields of every form on the page the resident
 * changed, as JSON in `kept_fields`): the server keeps those for the resident, ends the session and
 * shows the expired page; logging in again leads back here with the form filled in as it was.
 * File choices cannot be sent along: `kept_files` tells the server (and so the resident) they
 * were left out. Without JavaScript the server ends the session at its own
 * timeout; the next page the resident opens is the expired page.
 * Several tabs share one server session: activity in one tab (page load, keepalive) restarts the
 * timer in the others through localStorage.
 */
(function () {
  "use strict";

  var body = document.body;
  var dialog = document.getElementById("session-timeout-dialog");
  if (!body || !dialog || typeof dialog.showModal !== "function") return;

  var idleSeconds = parseInt(body.getAttribute("data-idle-seconds"), 10);
  var warnSeconds = parseInt(body.getAttribute("data-warn-seconds"), 10);
  var keepaliveUrl = body.getAttribute("data-keepalive-url");
  var expiredUrl = body.getAttribute("data-expired-url");
  if (!(idleSeconds > 0) || !(warnSeconds >= 0) || !keepaliveUrl || !expiredUrl) return;
  if (warnSeconds >= idleSeconds) warnSeconds = Math.max(0, idleSeconds - 1);

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var textEl = document.getElementById("session-timeout-text");
  var stayButton = document.getElementById("session-timeout-stay");
  var textOne = dialog.getAttribute("data-text-one") || "";
  var textMany = dialog.getAttribute("data-text-many") || "";
  var textError = dialog.getAttribute("data-text-error") || "";
  var STORAGE_KEY = "portal-session-activity";

  var lastActivity = Date.now();
  var shownMinutes = null;
  var busy = false;
  var expired = false;

  function remainingSeconds() {
    return idleSeconds - (Date.now() - lastActivity) / 1000;
  }

  function setText(minutes) {
    if (minutes === shownMinutes || !textEl) return; // update the live region once a minute, not every tick
    shownMinutes = minutes;
    textEl.textContent = minutes <= 1 ? textOne : textMany.replace("{minutes}", String(minutes));
  }

  function openDialog() {
    if (dialog.open) return;
    shownMinutes = null;
    setText(Math.max(1, Math.ceil(remainingSeconds() / 60)));
    dialog.showModal();
    if (stayButton) stayButton.focus();
  }

  function closeDialog() {
    if (dialog.open) dialog.close();
  }

  function hiddenInput(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  var SKIPPED_TYPES = ["hidden", "password", "submit", "button", "reset", "image", "file"];

  function elementChanged(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.type === "file") return el.files && el.files.length > 0;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return "defaultValue" in el && el.value !== el.defaultValue;
  }

  function elementValues(el) {
    if (!el.name || el.disabled || SKIPPED_TYPES.indexOf(el.type) >= 0) return [];
    if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return [];
    if (el.tagName === "SELECT") {
      return Array.prototype.filter.call(el.options, function (option) { return option.selected; })
        .map(function (option) { return [el.name, option.value]; });
    }
    return [[el.name, el.value]];
  }

  // What the resident typed and has not sent: the fields of each POST form they changed.
  function typedInput() {
    var fields = [];
    var files = false;
    Array.prototype.forEach.call(document.querySelectorAll("main form"), function (form) {
      var elements = Array.prototype.slice.call(form.elements);
      if (form.method !== "post" || !elements.some(elementChanged)) return;
      elements.forEach(function (el) {
        if (el.type === "file" && el.files && el.files.length) files = true;
        fields = fields.concat(elementValues(el));
      });
    });
    return { fields: fields, files: files };
  }

  function expire() {
    // A POST with the CSRF token ends the session (a GET never does: any site could link to it).
    if (expired) return;
    expired = true;
    window.clearInterval(timer);
    var form = document.createElement("form");
    form.method = "post";
    form.action = expiredUrl;
    form.hidden = true;
    form.appendChild(hiddenInput("csrf_token", csrfToken));
    form.appendChild(hiddenInput("next", window.location.pathname + window.location.search));
    var typed = typedInput();
    if (typed.fields.length) form.appendChild(hiddenInput("kept_fields", JSON.stringify(typed.fields)));
    if (typed.files) form.appendChild(hiddenInput("kept_files", "1"));
    document.body.appendChild(form);
    form.submit();
  }

  function restart(at) {
    lastActivity = at || Date.now();
    closeDialog();
  }

  function tick() {
    var left = remainingSeconds();
    if (left <= 0) {
      expire();
    } else if (left <= warnSeconds) {
      openDialog();
      setText(Math.max(1, Math.ceil(left / 60)));
    } else if (dialog.open) {
      closeDialog();
    }
  }

  function announceActivity(at) {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(at));
    } catch (e) {
      /* storage unavailable (private mode): tabs just don't sync */
    }
  }

  function keepalive() {
    if (busy) return;
    busy = true;
    if (stayButton) stayButton.setAttribute("aria-disabled", "true");
    fetch(keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    })
      .then(function (response) {
        if (response.ok) {
          var now = Date.now();
          restart(now);
          announceActivity(now);
        } else if (response.status === 401 || response.status === 403) {
          expire(); // the session is already gone
        } else {
          throw new Error("keepalive failed: " + response.status);
        }
      })
      .catch(function () {
        if (textEl && textError) {
          shownMinutes = null;
          textEl.textContent = textError;
        }
      })
      .then(function () {
        busy = false;
        if (stayButton) stayButton.removeAttribute("aria-disabled");
      });
  }

  if (stayButton) stayButton.addEventListener("click", keepalive);

  // Escape would close the dialog without extending the session: treat it as "stay logged in".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepalive();
  });

  window.addEventListener("storage", function (event) {
    if (event.key !== STORAGE_KEY || !event.newValue) return;
    var at = parseInt(event.newValue, 10);
    if (at > lastActivity) restart(at);
  });

  announceActivity(lastActivity); // this page load was activity on the shared server session
  var timer = window.setInterval(tick, 1000); // compare with the clock: timers are throttled in background tabs
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) tick();
  });
})();
