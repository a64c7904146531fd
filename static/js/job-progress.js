// Polls a background job's progress (a JSON endpoint named by data-progress-url) and reloads the
// page when the job has finished, so the page can show its outcome.
(function () {
  "use strict";
  var section = document.querySelector("[data-progress-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var bar = section.querySelector("[data-progress-bar]");
  var message = section.querySelector("[data-progress-message]");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + "%";
        message.textContent = data.message;
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
