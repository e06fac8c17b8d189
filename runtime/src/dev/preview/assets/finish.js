// The end of an OAuth2 or pop-up window: hands the step's result to the install page that opened
// the window (same origin only) and closes the window once the step is saved.
(() => {
  'use strict';
  const body = document.body;
  const reply = JSON.parse(body.dataset.reply || '{}');
  const step = Number(body.dataset.step);
  if (window.opener) {
    window.opener.postMessage({ type: 'envoy-preview-step', step, reply }, window.location.origin);
  }
  const close = document.querySelector('[data-close]');
  if (close) close.addEventListener('click', () => window.close());
  if (reply.ok && window.opener) setTimeout(() => window.close(), 800);
})();
