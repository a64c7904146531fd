// Polls a matching round's progress and reloads the page when the round has finished.
(function () {
  "use strict";
  var section = document.querySelector("[data-round-progress]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-round-progress");
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
