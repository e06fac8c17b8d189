// The install-flow preview's script. It talks to this server only (the /_dev API), which talks to
// the plugin and the stand-in. Every value from the plugin is written with textContent or as an
// attribute, never as HTML.
(() => {
  'use strict';

  const BASE = '/_dev';
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  async function call(path, options) {
    const response = await fetch(BASE + path, options);
    const data = await response.json().catch(() => ({ error: `answered ${response.status}` }));
    if (!response.ok) throw new Error(data.error || `answered ${response.status}`);
    return data;
  }
  const get = (path) => call(path, { headers: { Accept: 'application/json' } });
  const post = (path, body) =>
    call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  const pretty = (value) => JSON.stringify(value, null, 2);
  const label = (value) => (typeof value === 'string' ? value : JSON.stringify(value));
  const debounce = (fn, ms) => {
    let timer;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  };

  // ----- selects fed by the plugin's options routes -----

  /** A select (or multi-select) whose options come from an options route. */
  class OptionsSelect {
    constructor(box) {
      this.box = box;
      this.select = $('select', box);
      this.search = $('input.search', box);
      this.more = $('[data-load-more]', box);
      this.status = $('.options-status', box);
      this.path = box.dataset.options;
      this.paging = box.dataset.paging;
      this.multiple = box.hasAttribute('data-multiple');
      this.saved = JSON.parse(box.dataset.saved || 'null');
      this.query = '';
      this.page = 1;
      this.cursor = null;
      if (this.search) {
        this.search.addEventListener(
          'input',
          debounce(() => {
            this.query = this.search.value;
            this.page = 1;
            this.cursor = null;
            this.load(true);
          }, 250),
        );
      }
      if (this.more) {
        this.more.addEventListener('click', () => {
          if (this.paging === 'page') this.page += 1;
          this.load(false);
        });
      }
    }

    async init() {
      await this.loadSaved();
      await this.load(true);
      // Saved values the options did not bring (no selected-values route): shown as they are.
      for (const value of this.savedValues()) this.add({ label: value, value }, true);
    }

    savedValues() {
      if (this.saved === null || this.saved === undefined) return [];
      return this.multiple ? [].concat(this.saved) : [this.saved];
    }

    /** Adds an option unless one with its value is there; answers the option element. */
    add(option, selected) {
      const key = JSON.stringify(option.value);
      let node = Array.from(this.select.options).find((o) => o.value === key);
      if (!node) {
        node = el('option', { value: key, disabled: option.isDisabled === true }, label(option.label));
        this.select.append(node);
      }
      if (selected) node.selected = true;
      return node;
    }

    /** The saved values with their labels, from the select's selected-values route if it has one
     * (they may lie past the first page). */
    async loadSaved() {
      const values = this.savedValues();
      const url = this.box.dataset.selectedUrl;
      if (!values.length || !url) return;
      try {
        const answer = await post('/api/selected', {
          path: url,
          value: this.multiple ? values.map(label) : label(values[0]),
        });
        for (const option of answer.options) this.add(option, true);
      } catch (error) {
        this.say(`Saved values: ${error.message}`);
      }
    }

    async load(reset) {
      const params = {};
      if (this.query) params.search = this.query;
      if (this.paging === 'page') params.page = String(this.page);
      if (this.paging === 'cursor' && !reset && this.cursor) params.cursor = this.cursor;
      this.box.setAttribute('aria-busy', 'true');
      try {
        const answer = await post('/api/options', { path: this.path, params });
        if (reset) {
          for (const option of Array.from(this.select.options)) {
            if (option.value !== '' && !option.selected) option.remove();
          }
        }
        const saved = new Set(this.savedValues().map((v) => JSON.stringify(v)));
        for (const option of answer.options) this.add(option, saved.has(JSON.stringify(option.value)));
        this.cursor = answer.cursor || null;
        const more = this.paging === 'cursor' ? Boolean(this.cursor) : this.paging === 'page' && answer.options.length > 0;
        if (this.more) this.more.hidden = !more;
        const count = this.select.querySelectorAll('option:not([value=""])').length;
        this.say(
          answer.options.length
            ? `${count} option${count === 1 ? '' : 's'} loaded${more ? '; more on demand' : ''}.`
            : this.query && reset
              ? `No option matches “${this.query}”.`
              : 'No more options.',
        );
      } catch (error) {
        this.say(`The options could not be loaded: ${error.message}`);
      } finally {
        this.box.removeAttribute('aria-busy');
      }
    }

    say(text) {
      if (this.status) this.status.textContent = text;
    }

    value() {
      const chosen = Array.from(this.select.selectedOptions)
        .filter((o) => o.value !== '')
        .map((o) => JSON.parse(o.value));
      return this.multiple ? chosen : chosen.length ? chosen[0] : null;
    }
  }

  /** A mapping: one row per left option (from an options route), each with a right-hand input. */
  class Mapping {
    constructor(box, step) {
      this.box = box;
      this.step = step;
      this.rows = $('[data-rows]', box);
      this.more = $('[data-load-more]', box);
      this.status = $('.options-status', box);
      this.path = box.dataset.options;
      this.paging = box.dataset.paging;
      this.to = box.dataset.to;
      this.toOptions = box.dataset.toOptions;
      this.saved = JSON.parse(box.dataset.saved || 'null') || {};
      this.page = 1;
      this.cursor = null;
      this.count = 0;
      if (this.more) {
        this.more.addEventListener('click', () => {
          if (this.paging === 'page') this.page += 1;
          this.load();
        });
      }
    }

    init() {
      return this.load();
    }

    async load() {
      const params = {};
      if (this.paging === 'page') params.page = String(this.page);
      if (this.paging === 'cursor' && this.cursor) params.cursor = this.cursor;
      try {
        const answer = await post('/api/options', { path: this.path, params });
        for (const option of answer.options) this.addRow(option);
        this.cursor = answer.cursor || null;
        const more = this.paging === 'cursor' ? Boolean(this.cursor) : this.paging === 'page' && answer.options.length > 0;
        if (this.more) this.more.hidden = !more;
        this.status.textContent = `${this.count} row${this.count === 1 ? '' : 's'} loaded${more ? '; more on demand' : ''}.`;
      } catch (error) {
        this.status.textContent = `The options could not be loaded: ${error.message}`;
      }
    }

    addRow(option) {
      const key = label(option.value);
      const id = `step-${this.step}-${this.box.dataset.field}-${this.count}`;
      this.count += 1;
      const saved = this.saved[key];
      let input;
      if (this.to === 'checkbox') {
        input = el('input', { type: 'checkbox', id, checked: saved === true });
      } else if (this.box.dataset.toChoices) {
        input = el('select', { id }, el('option', { value: '' }, '— choose —'));
        for (const choice of JSON.parse(this.box.dataset.toChoices)) {
          const value = JSON.stringify(choice.value);
          input.append(el('option', { value, selected: JSON.stringify(saved) === value }, label(choice.label)));
        }
      } else if (this.toOptions) {
        // A select on the right: its options route gets the left value as the mapping's parent.
        input = el('select', { id }, el('option', { value: '' }, '— choose —'));
        post('/api/options', { path: this.toOptions, params: { parent_resource_id: key } })
          .then((answer) => {
            for (const right of answer.options) {
              const value = JSON.stringify(right.value);
              input.append(
                el('option', { value, disabled: right.isDisabled === true, selected: JSON.stringify(saved) === value }, label(right.label)),
              );
            }
          })
          .catch((error) => {
            input.title = error.message;
          });
      } else {
        input = el('input', { type: 'text', id, value: typeof saved === 'string' ? saved : '' });
      }
      input.dataset.left = key;
      input.disabled = option.isDisabled === true;
      this.rows.append(el('tr', {}, el('th', { scope: 'row' }, el('label', { for: id }, label(option.label))), el('td', {}, input)));
    }

    value() {
      const mapping = {};
      for (const input of $$('[data-left]', this.rows)) {
        if (input.type === 'checkbox') {
          if (input.checked) mapping[input.dataset.left] = true;
        } else if (input.tagName === 'SELECT') {
          if (input.value) mapping[input.dataset.left] = JSON.parse(input.value);
        } else if (input.value !== '') {
          mapping[input.dataset.left] = input.value;
        }
      }
      return mapping;
    }
  }

  // ----- steps -----

  const widgets = new Map();

  function fieldValue(box) {
    const widget = widgets.get(box);
    if (widget) return widget.value();
    switch (box.dataset.type) {
      case 'checkbox':
        return $('input', box).checked;
      case 'resource': {
        const chosen = Array.from($('select', box).selectedOptions)
          .filter((o) => o.value !== '')
          .map((o) => JSON.parse(o.value));
        return box.hasAttribute('data-multiple') ? chosen : chosen.length ? chosen[0] : null;
      }
      default:
        return $('input', box).value;
    }
  }

  function clearErrors(section) {
    for (const error of $$('.field-error, .step-error', section)) {
      error.hidden = true;
      error.textContent = '';
    }
    for (const input of $$('[aria-invalid]', section)) input.removeAttribute('aria-invalid');
  }

  function showErrors(section, errors) {
    let first = null;
    for (const error of errors) {
      const box = error.field ? $(`[data-field="${CSS.escape(error.field)}"]`, section) : null;
      const target = box ? $('.field-error', box) : $('.step-error', section);
      target.textContent = target.textContent ? `${target.textContent} ${error.message}` : error.message;
      target.hidden = false;
      const input = box ? $('input:not(.search), select, textarea', box) : null;
      if (input) input.setAttribute('aria-invalid', 'true');
      if (!first) first = input || target;
    }
    if (first) {
      if (!first.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(first.tagName)) {
        first.setAttribute('tabindex', '-1');
      }
      first.focus();
    }
  }

  function showReply(index, reply) {
    const section = document.getElementById(`step-${index}`);
    if (!section) return;
    clearErrors(section);
    const state = $('.step-state', section);
    if (!reply.ok) {
      state.textContent = 'Refused: not saved';
      showErrors(section, reply.errors);
      return;
    }
    section.dataset.done = '';
    state.textContent = 'Saved';
    const saved = $('details.saved', section);
    saved.hidden = false;
    $('[data-saved-json]', saved).textContent = pretty(reply.saved);
    const progress = $(`[data-progress="${index}"]`);
    if (progress) progress.dataset.done = '';
    showInstall({ config: reply.config });
    if (reply.installed) markInstalled();
    const next = document.getElementById(`step-${index + 1}`);
    if (next && !next.hasAttribute('data-done')) {
      const title = $('h2', next);
      title.setAttribute('tabindex', '-1');
      title.focus();
    }
  }

  function markInstalled() {
    document.body.dataset.installed = '';
    const progress = $('[data-progress="installed"]');
    if (progress) progress.dataset.done = '';
    const locked = $('#events-locked');
    if (locked) locked.hidden = true;
    const fire = $('#fire');
    if (fire) fire.disabled = false;
  }

  function setUpStep(section) {
    const index = Number(section.dataset.step);
    const form = $('form', section);
    for (const box of $$('[data-field]', form)) {
      let widget = null;
      if (box.dataset.type === 'select') widget = new OptionsSelect(box);
      if (box.dataset.type === 'mapping') widget = new Mapping(box, index);
      if (widget) {
        widgets.set(box, widget);
        widget.init();
      }
      if (box.dataset.type === 'resource') {
        const saved = [].concat(JSON.parse(box.dataset.saved || 'null') ?? []).map((v) => JSON.stringify(v));
        for (const option of $('select', box).options) option.selected = saved.includes(option.value);
      }
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {};
      for (const box of $$('[data-field]', form)) values[box.dataset.field] = fieldValue(box);
      const button = $('button[type="submit"]', form);
      button.disabled = true;
      try {
        showReply(index, await post(`/api/steps/${index}`, { values }));
      } catch (error) {
        showReply(index, { ok: false, errors: [{ field: null, message: error.message }] });
      } finally {
        button.disabled = false;
      }
    });
    const opener = $('[data-open]', form);
    if (opener) {
      opener.addEventListener('click', () => {
        clearErrors(section);
        const opened = window.open(opener.dataset.open, `envoy-preview-step-${index}`, 'popup,width=560,height=680');
        if (!opened) {
          showErrors(section, [{ field: null, message: 'The window was blocked: allow pop-ups for this page.' }]);
        }
      });
    }
  }

  // OAuth2 and pop-up windows report their step's result here when they finish.
  window.addEventListener('message', (event) => {
    if (event.origin !== window.location.origin) return;
    const data = event.data || {};
    if (data.type === 'envoy-preview-step') showReply(Number(data.step), data.reply);
  });

  // ----- the install on the stand-in -----

  function showInstall(install) {
    if (install.config !== undefined) $('#install-config').textContent = pretty(install.config);
    if (install.storage !== undefined) {
      $('#install-storage').textContent = Object.keys(install.storage).length ? pretty(install.storage) : '(empty)';
    }
  }

  async function refreshInstall() {
    try {
      const install = await get('/api/install');
      showInstall(install);
      if (install.installed) markInstalled();
    } catch (error) {
      $('#install-storage').textContent = `The stand-in does not answer: ${error.message}`;
    }
  }

  async function loadRemoteValues() {
    const outputs = $$('[data-remote-value]');
    if (!outputs.length) return;
    try {
      for (const entry of await get('/api/remote-values')) {
        const output = outputs.find((o) => o.dataset.remoteValue === entry.path);
        if (output) output.textContent = entry.error ? `Error: ${entry.error}` : label(entry.value);
      }
    } catch (error) {
      for (const output of outputs) output.textContent = `Error: ${error.message}`;
    }
  }

  // ----- events -----

  function attachment(item) {
    const type = item.type || 'text';
    const head = [el('span', { class: 'tag' }, type), ' ', el('strong', {}, label(item.label ?? '')), ' '];
    switch (type) {
      case 'password': {
        const secret = el('span', { class: 'secret' }, '••••••••');
        const toggle = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Show');
        toggle.addEventListener('click', () => {
          const shown = toggle.getAttribute('aria-pressed') === 'true';
          secret.textContent = shown ? '••••••••' : label(item.value ?? '');
          toggle.textContent = shown ? 'Show' : 'Hide';
          toggle.setAttribute('aria-pressed', String(!shown));
        });
        return el('li', {}, ...head, secret, ' ', toggle);
      }
      case 'json':
        return el('li', {}, ...head, el('pre', {}, pretty(item.value)));
      case 'link': {
        const url = String(item.url ?? '');
        // Only web links are links; the page never loads them itself.
        const link = /^https?:\/\//i.test(url)
          ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label(item.value ?? url))
          : el('span', {}, `${label(item.value ?? '')} (${url})`);
        return el('li', {}, ...head, link);
      }
      case 'credential_image': {
        const image = item.image && item.image.link ? String(item.image.link) : '';
        return el(
          'li',
          {},
          ...head,
          el('span', {}, `${label(item.title ?? '')}: ${label(item.value ?? '')}`),
          image ? el('span', { class: 'help' }, ` (image at ${image}, not loaded by the preview)`) : null,
        );
      }
      default:
        return el('li', {}, ...head, el('span', {}, label(item.value ?? '')));
    }
  }

  function showOutcome(fired) {
    const outcome = $('#outcome');
    outcome.replaceChildren();
    const status = fired.intended ? fired.outcome : 'failed (unintended)';
    outcome.append(
      el(
        'h3',
        {},
        'Job ',
        el('code', {}, fired.job),
        ': ',
        el('span', { class: `outcome outcome-${fired.outcome}`, 'data-outcome': fired.outcome }, status),
        ` (HTTP ${fired.status})`,
      ),
    );
    outcome.append(el('p', { class: 'message', 'data-message': '' }, fired.message ?? '(no message)'));
    if (fired.debugInfo !== null && fired.debugInfo !== undefined) {
      outcome.append(el('h4', {}, 'Debug info'), el('pre', {}, pretty(fired.debugInfo)));
    }
    if (fired.attachments.length) {
      outcome.append(el('h4', {}, 'Attachments'), el('ul', { class: 'attachments' }, ...fired.attachments.map(attachment)));
    }
    outcome.append(el('h4', {}, 'Log lines of the request'));
    outcome.append(
      fired.logs.length
        ? el('pre', { class: 'logs', tabindex: '0' }, fired.logs.map((l) => `${l.level.padEnd(5)} ${l.target}: ${l.text}`).join('\n'))
        : el('p', { class: 'help' }, 'No line was logged (is logging set up with envoy_plugin::dev::preview::init_logging?).'),
    );
    outcome.hidden = false;
    showInstall(fired);
  }

  function setUpEvents() {
    const form = $('#fire-form');
    if (!form) return;
    const select = $('#event-name');
    const textarea = $('#event-payload');
    const error = $('#event-payload-error');
    const loadPayload = async () => {
      try {
        textarea.value = pretty(await get(`/api/events/${encodeURIComponent(select.value)}/payload`));
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    };
    select.addEventListener('change', loadPayload);
    $('#reset-payload').addEventListener('click', loadPayload);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      textarea.removeAttribute('aria-invalid');
      let payload;
      try {
        payload = JSON.parse(textarea.value);
      } catch (e) {
        error.textContent = `The payload is not JSON: ${e.message}`;
        error.hidden = false;
        textarea.setAttribute('aria-invalid', 'true');
        textarea.focus();
        return;
      }
      const button = $('#fire');
      button.disabled = true;
      $('#outcome').setAttribute('aria-busy', 'true');
      try {
        showOutcome(await post(`/api/events/${encodeURIComponent(select.value)}`, { payload }));
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      } finally {
        button.disabled = false;
        $('#outcome').removeAttribute('aria-busy');
      }
    });
  }

  for (const section of $$('section.step')) setUpStep(section);
  setUpEvents();
  $('#refresh-install').addEventListener('click', refreshInstall);
  refreshInstall();
  loadRemoteValues();
})();
