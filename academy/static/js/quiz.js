// Quiz attempts: autosave each answer as it changes, and show the server's countdown.
// Without JavaScript the page still works: each page's buttons save its answers.
(function () {
  "use strict";
  const form = document.getElementById("attempt-form");
  const status = document.querySelector(".autosave-status");
  const loadedAt = performance.now();

  // Sequence numbers count milliseconds on the server's clock, so a late or repeated
  // save never overwrites a newer one, whichever tab or request it came from.
  function sequence(base) {
    return Math.floor(Number(base) + (performance.now() - loadedAt));
  }

  function fieldsOf(section) {
    const fields = {};
    section.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      (fields[el.name] = fields[el.name] || []).push(el.value);
    });
    return fields;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  if (form) {
    const url = form.dataset.autosaveUrl;
    const base = form.dataset.sequenceBase;
    const timers = new Map();

    function save(section) {
      const slot = Number(section.dataset.slot);
      return window.academyFetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ slot: slot, sequence: sequence(base), fields: fieldsOf(section) }),
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            say("Saved at " + body.saved_at + ".");
          } else if (body.closed) {
            say("Time is up: your attempt is being submitted.");
            window.location.reload();
          } else {
            say("Not saved: " + (body.error || "please try again."));
          }
        });
      }).catch(function () {
        say("Offline: your answer will be saved when you move on or reconnect.");
      });
    }

    form.addEventListener("input", function (event) {
      const section = event.target.closest(".question");
      if (!section) return;
      clearTimeout(timers.get(section));
      timers.set(section, setTimeout(function () { save(section); }, 600));
    });
    form.addEventListener("change", function (event) {
      const section = event.target.closest(".question");
      if (section) { clearTimeout(timers.get(section)); save(section); }
    });
    form.addEventListener("submit", function () {
      form.querySelector('input[name="sequence"]').value = sequence(base);
    });
    window.addEventListener("online", function () {
      form.querySelectorAll(".question").forEach(save);
    });
  }

  // Word counts for written answers.
  document.querySelectorAll(".word-count").forEach(function (counter) {
    const area = document.getElementById(counter.dataset.for);
    function update() {
      const words = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
      counter.textContent = words + " of about " + counter.dataset.max + " words.";
    }
    area.addEventListener("input", update);
    update();
  });

  // The countdown: the server owns the deadline; this only shows it and submits at zero.
  const timer = document.querySelector(".quiz-timer");
  if (timer) {
    const deadline = Number(timer.dataset.deadlineMs);
    const offset = Number(timer.dataset.serverNowMs) - Date.now();
    const value = timer.querySelector(".quiz-timer-value");
    const warning = timer.querySelector(".quiz-timer-warning");
    let warned = false;
    function tick() {
      const left = Math.max(0, deadline - (Date.now() + offset));
      const minutes = Math.floor(left / 60000);
      const seconds = Math.floor((left % 60000) / 1000);
      value.textContent = minutes + ":" + String(seconds).padStart(2, "0");
      if (left < 60000 && !warned) {
        warned = true;
        timer.classList.add("quiz-timer-urgent");
        warning.textContent = "Less than a minute left.";
      }
      if (left === 0) {
        clearInterval(handle);
        const target = form || document.getElementById("submit-form");
        if (target) {
          if (form) form.action = form.dataset.submitUrl;
          target.submit();
        }
      }
    }
    const handle = setInterval(tick, 1000);
    tick();
  }
})();
