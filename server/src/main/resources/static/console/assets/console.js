// Walleye console: small behaviours shared by every page. No build step; loaded with defer.
(function () {
  'use strict';

  // Times come from the server as <time datetime="...Z">; show them in the browser's zone, keep UTC in the tooltip.
  function localizeTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (element) {
      var date = new Date(element.getAttribute('datetime'));
      if (isNaN(date.getTime())) {
        return;
      }
      element.textContent = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
      element.title = date.toISOString().replace('.000Z', 'Z') + ' (UTC)';
    });
  }

  // Buttons with data-copy="text" copy it (used where a secret is shown once).
  function enableCopyButtons(root) {
    root.querySelectorAll('[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
          button.textContent = 'Copied';
        });
      });
    });
  }

  function enhance(root) {
    localizeTimes(root);
    enableCopyButtons(root);
  }

  document.addEventListener('DOMContentLoaded', function () {
    enhance(document);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll('[data-zone]').forEach(function (element) {
      element.textContent = zone;
    });
  });
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener('htmx:load', function (event) {
    enhance(event.target);
  });

  window.walleye = { localizeTimes: localizeTimes };
})();
