// A form that failed to save opens with its error summary focused, so screen readers and
// keyboards start at the list of problems (GOV.UK pattern); each link moves to its field.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
