// The open conversation asks the server for new messages (the #message-poll element, htmx):
// every 5 s while the conversation is alive (a key pressed, a click or a new message in the last
// 2 minutes), every 15 s once it is quiet, every 60 s while the tab is hidden; at once when the
// tab comes back. benchmarks/poll_capacity.py measures the server's capacity at these intervals.
(function () {
  "use strict";
  var ACTIVE_MS = 5000, QUIET_MS = 15000, HIDDEN_MS = 60000, QUIET_AFTER_MS = 120000;
  var lastActivity = Date.now(), timer = null;

  function interval() {
    if (document.visibilityState === "hidden") return HIDDEN_MS;
    return Date.now() - lastActivity < QUIET_AFTER_MS ? ACTIVE_MS : QUIET_MS;
  }
  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }
  function poll() {
    var poller = document.getElementById("message-poll");  // replaced after each new message
    if (!poller || !window.htmx) return;  // the conversation is closed: no more polling
    window.htmx.trigger(poller, "poll");
    schedule(interval());
  }
  function active() { lastActivity = Date.now(); }

  document.addEventListener("keydown", active);
  document.addEventListener("pointerdown", active);
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    if (detail.elt && detail.elt.id === "message-poll" && detail.xhr && detail.xhr.status === 200) active();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { active(); schedule(0); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.getElementById("message-poll")) schedule(ACTIVE_MS);
  });
})();
