// Cadence: no lost work at the idle timeout (issue 16 §3).
//
// The server ends a session after a quiet spell (15 minutes by default). A page cannot know
// whether the user is reading or has walked away, so this script:
// - reports typing and clicking to the server at most once a minute (GET /api/v1/auth/session,
//   which counts as activity), so someone filling in a long form is never logged out under
//   their hands; the absolute lifetime still applies;
// - warns two minutes before the end, with a button to stay logged in;
// - once the session has ended, keeps the page as it is and stops a form from being sent into a
//   login page (where what was typed would be lost): it asks the user to log in again in
//   another tab, then refreshes the form's CSRF token from the new session, so the form can be
//   sent as typed.
// Nothing typed is stored anywhere: no localStorage, no sessionStorage (security reference,
// (d)(7)). Polling (the nurse's timers) sends X-Cadence-Background and does not count.
(function () {
  'use strict';
  const body = document.body;
  const idleSecs = Number(body.dataset.idleTimeoutSecs || 0);
  if (!idleSecs) return;
  const banner = document.getElementById('idle-warning');
  if (!banner) return;
  const text = banner.querySelector('[data-idle-text]');
  const stay = banner.querySelector('button[data-idle-stay]');
  const warnBefore = Math.min(120, Math.floor(idleSecs / 2)) * 1000;
  let lastSeen = Date.now(); // the server saw us when it sent this page
  let ended = false;
  let reporting = false;

  function show(message, button) {
    text.textContent = message;
    stay.hidden = !button;
    if (button) stay.textContent = button;
    banner.hidden = false;
  }
  function hide() {
    banner.hidden = true;
  }

  async function report() {
    if (reporting) return;
    reporting = true;
    try {
      const r = await fetch('/api/v1/auth/session', {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (r.ok) {
        const s = await r.json();
        lastSeen = Date.now();
        if (s.csrf_token) {
          for (const f of document.querySelectorAll('input[name="csrf_token"]')) {
            f.value = s.csrf_token;
          }
        }
        if (ended) {
          ended = false;
          show('You are logged in again. What you typed is still here: you can send it now.', null);
          setTimeout(hide, 8000);
        } else {
          hide();
        }
      } else if (r.status === 401) {
        ended = true;
        show(
          'Your session has ended. What you typed is still on this page: log in again in ' +
            'another tab (the page stays as it is), then come back here.',
          'I have logged in again',
        );
      }
    } catch (_) {
      // Offline for a moment: try again on the next activity.
    } finally {
      reporting = false;
    }
  }

  function activity() {
    if (!ended && Date.now() - lastSeen > 60_000) report();
  }
  for (const type of ['keydown', 'input', 'pointerdown']) {
    document.addEventListener(type, activity, { passive: true });
  }
  stay.addEventListener('click', report);

  document.addEventListener('submit', (e) => {
    if (ended || Date.now() - lastSeen > idleSecs * 1000) {
      e.preventDefault();
      ended = true;
      report();
    }
  });

  setInterval(() => {
    if (ended) return;
    const left = idleSecs * 1000 - (Date.now() - lastSeen);
    if (left <= 0) {
      ended = true;
      show(
        'Your session has ended. What you typed is still on this page: log in again in ' +
          'another tab, then come back and press "I have logged in again".',
        true,
      );
    } else if (left <= warnBefore) {
      const minutes = Math.max(1, Math.ceil(left / 60_000));
      show(
        `You will be logged out in ${minutes} minute${minutes === 1 ? '' : 's'} without ` +
          'activity. Anything typed but not sent would be lost.',
        'Stay logged in',
      );
    }
  }, 5_000);
})();

// Print buttons (the day's schedule). The content security policy allows no inline handlers,
// so a button marked `data-print` is wired here, on every page a logged-in user sees.
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('button[data-print]')) {
    button.addEventListener('click', () => window.print());
  }
});
