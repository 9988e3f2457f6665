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
    root.querySelectorAll('[data-copy]:not([data-enhanced])').forEach(function (button) {
      button.setAttribute('data-enhanced', '');
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
          button.textContent = 'Copied';
        });
      });
    });
  }

  // <input type="datetime-local" data-utc-field="from"> is typed in the browser's zone; the form sends the hidden
  // field of that name, holding the same instant in UTC, which is what the server reads.
  function pad(number) {
    return String(number).padStart(2, '0');
  }

  function enableZonedInputs(root) {
    root.querySelectorAll('input[data-utc-field]:not([data-enhanced])').forEach(function (input) {
      input.setAttribute('data-enhanced', '');
      var hidden = input.form && input.form.querySelector('input[type=hidden][name="' + input.dataset.utcField + '"]');
      if (!hidden) {
        return;
      }
      var current = new Date(hidden.value);
      if (hidden.value && !isNaN(current.getTime())) {
        input.value = current.getFullYear() + '-' + pad(current.getMonth() + 1) + '-' + pad(current.getDate()) + 'T'
          + pad(current.getHours()) + ':' + pad(current.getMinutes()) + ':' + pad(current.getSeconds());
      }
      input.addEventListener('change', function () {
        var local = new Date(input.value);
        hidden.value = input.value && !isNaN(local.getTime()) ? local.toISOString() : '';
      });
    });
  }

  function enhance(root) {
    localizeTimes(root);
    enableCopyButtons(root);
    enableZonedInputs(root);
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
