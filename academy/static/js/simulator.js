// The laser simulator, enhanced: results follow the settings as they change.
// Without JavaScript the form is a plain GET and the page works the same, one press at a time.
(function () {
  "use strict";
  const form = document.getElementById("simulator-form");
  const status = document.getElementById("sim-status");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;

  const DELAY_MS = 450;
  let timer = null;
  let controller = null;
  let sequence = 0;

  function say(text) {
    if (status) status.textContent = text;
  }

  // The address of the current settings: only fields with a value, as the share link has them.
  function address() {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim() !== "") params.append(name, String(value).trim());
    });
    const query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  // Bring each field's error message (and the summary) into line with the server's answer,
  // without touching the inputs, so focus and the caret stay where the user left them.
  function syncErrors(doc) {
    form.querySelectorAll(".sim-field").forEach(function (field) {
      const control = field.querySelector("input, select");
      const fresh = doc.querySelector('.sim-field[data-field="' + field.dataset.field + '"]');
      const message = fresh ? fresh.querySelector(".error-message") : null;
      const old = field.querySelector(".error-message");
      if (old) old.remove();
      field.classList.toggle("field-invalid", Boolean(message));
      const described = [control.id + "-hint"];
      if (message) {
        field.appendChild(document.importNode(message, true));
        control.setAttribute("aria-invalid", "true");
        described.push(control.id + "-error");
      } else {
        control.removeAttribute("aria-invalid");
      }
      control.setAttribute("aria-describedby", described.join(" "));
    });
    const oldSummary = form.querySelector(".error-summary");
    if (oldSummary) oldSummary.remove();
    const summary = doc.querySelector("#simulator-form .error-summary");
    if (summary) {
      const copy = document.importNode(summary, true);
      copy.removeAttribute("role"); // the polite status below says it once, without interrupting
      form.querySelector("h2").after(copy);
    }
  }

  function markStale(stale) {
    const results = document.getElementById("results");
    if (!results) return;
    let note = results.querySelector(".sim-stale");
    if (stale && !note) {
      note = document.createElement("p");
      note.className = "sim-stale";
      note.textContent = "These results are for your last valid settings: correct the marked " +
        "field to update them.";
      const heading = results.querySelector("h2");
      if (heading) heading.after(note); else results.prepend(note);
    } else if (!stale && note) {
      note.remove();
    }
  }

  function replaceResults(doc) {
    const results = document.getElementById("results");
    const fresh = doc.getElementById("results");
    if (!results || !fresh) return null;
    const title = document.getElementById("run-title");
    const typed = title ? title.value : "";
    results.replaceChildren.apply(
      results,
      Array.from(fresh.childNodes).map(function (node) { return document.importNode(node, true); })
    );
    results.dataset.summary = fresh.dataset.summary || "";
    const newTitle = document.getElementById("run-title");
    if (newTitle && typed) newTitle.value = typed;
    return results.dataset.summary;
  }

  function update() {
    clearTimeout(timer);
    const url = address();
    const mine = ++sequence;
    if (controller) controller.abort();
    controller = new AbortController();
    const results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (response.status === 429) throw new Error("rate-limited");
        return response.text().then(function (html) { return { ok: response.ok, html: html }; });
      })
      .then(function (answer) {
        if (mine !== sequence) return;
        const doc = new DOMParser().parseFromString(answer.html, "text/html");
        syncErrors(doc);
        if (!answer.ok) {
          // Keep the last good results on screen while a value is being corrected.
          markStale(true);
          const first = form.querySelector(".sim-field .error-message");
          say("Not updated: " + (first ? first.textContent.replace(/^Error: /, "") : "check the settings."));
          return;
        }
        const summary = replaceResults(doc);
        window.history.replaceState(null, "", url);
        if (summary) say("Results updated. " + summary);
      })
      .catch(function (error) {
        if (error.name === "AbortError") return;
        say(error.message === "rate-limited"
          ? "Too many updates in a minute: wait a moment, then press Simulate."
          : "The results could not be updated; press Simulate to try again.");
      })
      .finally(function () {
        if (mine === sequence && results) results.removeAttribute("aria-busy");
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  }

  // Fluence and pulse energy are two ways of giving one setting: typing one clears the other.
  const pair = { fluence_j_cm2: "pulse_energy_mj", pulse_energy_mj: "fluence_j_cm2" };

  form.addEventListener("input", function (event) {
    const other = pair[event.target.name];
    if (other && event.target.value.trim() !== "" && form.elements[other]) {
      form.elements[other].value = "";
    }
    if (event.target.tagName === "INPUT" && event.target.type === "text") later();
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") update();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
})();
