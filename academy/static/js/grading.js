// Case assessments: the trainee's plan and the tutor's mark save as drafts while typing.
// Without JavaScript both forms still work with their Save buttons.
(function () {
  "use strict";
  const loadedAt = performance.now();

  function fieldsOf(form) {
    const fields = {};
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled || el.name === "csrf_token") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      (fields[el.name] = fields[el.name] || []).push(el.value);
    });
    return fields;
  }

  function debounce(fn, ms) {
    let timer;
    const later = function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
    later.cancel = function () { clearTimeout(timer); };
    return later;
  }

  function say(form, text) {
    const status = document.querySelector(".autosave-status");
    if (status) status.textContent = text;
  }

  // The trainee's plan.
  const plan = document.getElementById("plan-form");
  if (plan) {
    const base = Number(plan.dataset.sequenceBase);
    const sequence = function () { return Math.floor(base + (performance.now() - loadedAt)); };
    let submitting = false;  // once the form is sent, no autosave may race it (or its message)
    const save = function () {
      if (submitting) return;
      window.academyFetch(plan.dataset.autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sequence: sequence(), fields: fieldsOf(plan) }),
      }).then(function (r) { return r.json().then(function (body) {
        say(plan, r.ok ? "Draft saved at " + body.saved_at + "." : "Not saved: " + body.error);
      }); }).catch(function () { say(plan, "Offline: use Save draft when you reconnect."); });
    };
    plan.addEventListener("input", debounce(save, 800));
    plan.addEventListener("change", debounce(save, 200));
    plan.addEventListener("submit", function () {
      submitting = true;
      plan.querySelector('input[name="sequence"]').value = sequence();
    });
  }

  // The tutor's mark: optimistic versioning, so a second tutor's save is refused, not lost.
  const mark = document.getElementById("mark-form");
  if (mark && mark.querySelector("button[type=submit]")) {
    const lock = mark.querySelector('input[name="lock_version"]');
    let conflicted = false;
    // One autosave at a time: each reply carries the lock version the next save must send.
    let inFlight = null;
    let again = false;
    const save = function () {
      if (conflicted) return;
      if (inFlight) { again = true; return; }
      const fields = fieldsOf(mark);
      const selections = {};
      Object.keys(fields).forEach(function (name) {
        const match = name.match(/^(level|comment)-(.+)$/);
        if (!match) return;
        selections[match[2]] = selections[match[2]] || {};
        selections[match[2]][match[1]] = fields[name][0];
      });
      const request = window.academyFetch(mark.dataset.autosaveUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          role: mark.dataset.role,
          lock_version: Number(lock.value),
          selections: selections,
          overall_feedback: (fields.overall_feedback || [""])[0],
          outcome: (fields.outcome || [""])[0],
        }),
      }).then(function (r) { return r.json().then(function (body) {
        if (r.ok) {
          lock.value = body.lock_version;
          say(mark, "Draft mark saved at " + body.saved_at + ".");
          const total = document.querySelector(".mark-total");
          if (total) total.textContent = "Total so far: " + body.total + " of " + body.maximum;
        } else if (body.conflict) {
          conflicted = true;
          say(mark, body.error + " Autosave has stopped; your text stays in the form.");
        } else {
          say(mark, "Not saved: " + body.error);
        }
      }); }).catch(function () { say(mark, "Offline: use Save draft when you reconnect."); });
      inFlight = request.finally(function () {
        inFlight = null;
        if (again) { again = false; save(); }
      });
    };
    const onInput = debounce(save, 1000);
    const onChange = debounce(save, 300);
    mark.addEventListener("input", onInput);
    mark.addEventListener("change", onChange);
    // Pressing Save draft or Finish right after typing: drop the autosave still waiting, and
    // let one already under way finish first, so the form carries the lock version it got
    // back (otherwise the server would refuse the tutor's own mark as someone else's save).
    mark.addEventListener("submit", function (event) {
      onInput.cancel();
      onChange.cancel();
      again = false;
      if (!inFlight) return;
      event.preventDefault();
      const submitter = event.submitter;
      inFlight.finally(function () { mark.requestSubmit(submitter); });
    });
  }
})();
