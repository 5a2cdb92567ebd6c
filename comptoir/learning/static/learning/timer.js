/* Quiz countdown. The server is the only judge of time: this shows the time it gave the page
 * (data-remaining-ms, counted from the page's arrival, so the phone's clock does not matter), warns
 * at 10 seconds, and at zero hands the question back to the server with whatever was chosen. The
 * server then records the answer (or "no answer in time") and moves on. No inline script: the page's
 * Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";

  function expire(timer) {
    var form = timer.dataset.form ? document.getElementById(timer.dataset.form) : null;
    if (form && !form.dataset.sent) {
      form.dataset.sent = "1";
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "expired";
      flag.value = "1";
      form.appendChild(flag);
      // submit() skips the `required` check on purpose: an empty answer must reach the server too.
      form.submit();
    }
  }

  function start(timer) {
    var remaining = parseInt(timer.dataset.remainingMs, 10);
    var shown = timer.querySelector("[data-timer-seconds]");
    if (isNaN(remaining) || !shown) {
      return;
    }
    var endsAt = performance.now() + remaining;
    var alert = document.querySelector("[data-timer-alert]");
    var warned = false;
    function tick() {
      var left = endsAt - performance.now();
      var seconds = Math.max(0, Math.ceil(left / 1000));
      shown.textContent = String(seconds);
      if (seconds <= 10 && !warned) {
        warned = true;
        timer.classList.add("timer-warning");
        if (alert) {
          alert.textContent = timer.dataset.warning || "";
        }
      }
      if (left <= 0) {
        expire(timer);
        return;
      }
      // Wake at the next whole second of the countdown, so the figure changes on time.
      setTimeout(tick, (left % 1000) || 1000);
    }
    tick();
  }

  document.querySelectorAll("[data-countdown]").forEach(start);
})();
