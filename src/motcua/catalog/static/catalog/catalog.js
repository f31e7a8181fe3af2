/* The catalogue pages' small enhancements; everything works without them.
 *
 * - "In trang" buttons are hidden in the HTML (they need JavaScript) and shown here.
 * - After htmx replaces the search results because a page link was followed, focus
 *   moves to the results heading, so keyboard and screen-reader users are not left on
 *   a link that no longer exists. A search from the form keeps focus in the form.
 */
(function () {
  "use strict";

  function showPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function focusResultsAfterPaging(event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "search-results") {
      return;
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (trigger && trigger.closest && trigger.closest("form")) {
      return;
    }
    var heading = document.getElementById("results-heading");
    if (heading) {
      heading.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showPrintButtons);
  } else {
    showPrintButtons();
  }
  document.addEventListener("htmx:afterSwap", focusResultsAfterPaging);
})();
