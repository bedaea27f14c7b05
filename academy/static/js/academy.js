// The academy's own script: nothing here is needed for a page to work without JavaScript.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');

  // Every state-changing fetch carries the CSRF token in the X-CSRFToken header.
  window.academyFetch = function (url, options) {
    const opts = Object.assign({ credentials: "same-origin" }, options || {});
    opts.headers = Object.assign({ "X-CSRFToken": meta ? meta.content : "" }, opts.headers || {});
    return fetch(url, opts);
  };

  // Move focus to an error summary so keyboard and screen-reader users hear what went wrong.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
