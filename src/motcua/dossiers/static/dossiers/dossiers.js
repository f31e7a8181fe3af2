/* Progressive enhancements of the dossier screens; every page works without this file.
 *
 * - Move focus to a form's error summary after a failed submission, so that a screen
 *   reader reads what to fix first.
 * - On the reception form, hide the submitter's fields while "the applicant submits in
 *   person" is chosen (they are ignored then anyway).
 */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  var details = document.getElementById("submitter-details");
  var choices = document.querySelectorAll('input[name="submitter_kind"]');
  if (details && choices.length) {
    var sync = function () {
      var checked = document.querySelector('input[name="submitter_kind"]:checked');
      details.hidden = !checked || checked.value === "self";
    };
    choices.forEach(function (input) {
      input.addEventListener("change", sync);
    });
    sync();
  }
})();
