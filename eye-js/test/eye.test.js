'use strict';
// Unit tests of the tracker against a fake browser: storage, timers, fetch and beacons are all in memory, and time
// only moves when a test moves it, so nothing here waits on a real clock.
const test = require('node:test');
const assert = require('node:assert/strict');
const { webcrypto } = require('node:crypto');
const { createEye } = require('../src/eye.js');

class Storage {
  constructor() { this.map = new Map(); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}

class Target {
  constructor() { this.listeners = {}; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type, event) { (this.listeners[type] || []).forEach((fn) => fn(event || {})); }
}

function browser(options = {}) {
  const clock = { t: Date.parse('2026-12-05T10:00:00Z') };
  const timers = [];
  const win = new Target();
  win.localStorage = options.localStorage || new Storage();
  win.sessionStorage = options.sessionStorage || new Storage();
  win.crypto = webcrypto;
  win.location = { hostname: 'www.example.com', pathname: '/' };
  win.history = {
    pushState(state, title, url) { win.location.pathname = url; },
    replaceState() {}
  };
  const doc = new Target();
  doc.visibilityState = 'visible';
  const nav = { onLine: true, doNotTrack: null, beacons: [], sendBeacon(url, blob) { this.beacons.push({ url, blob }); return true; } };
  const requests = [];
  const answers = [];
  const env = {
    window: win,
    document: doc,
    navigator: nav,
    now: () => clock.t,
    setTimeout: (fn, delay) => { const t = { fn, at: clock.t + delay }; timers.push(t); return t; },
    clearTimeout: (t) => { const i = timers.indexOf(t); if (i >= 0) timers.splice(i, 1); },
    fetch: (url, init) => {
      requests.push({ url, init, body: JSON.parse(init.body) });
      const answer = answers.shift() || { status: 202 };
      if (answer.offline) return Promise.reject(new TypeError('Failed to fetch'));
      return Promise.resolve({
        status: answer.status,
        headers: { get: (name) => (answer.headers || {})[name] || null },
        json: () => Promise.resolve(answer.body || {})
      });
    },
    Blob: class { constructor(parts, opts) { this.text = parts.join(''); this.type = opts.type; } }
  };
  // Runs every timer due within ms, in order, letting the fetch promises settle in between.
  async function advance(ms) {
    const end = clock.t + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      clock.t = Math.max(clock.t, next.at);
      next.fn();
    }
    clock.t = end;
    await new Promise((r) => setImmediate(r));
  }
  return { env, win, doc, nav, clock, requests, answers, advance, eye: createEye(env) };
}

const init = (b, extra = {}) => b.eye.init({ host: 'https://walleye.example.com/', key: 'pk_test', autocapture: false, ...extra });
const sent = (b) => b.requests.flatMap((r) => r.body.events);

test('an event carries an id, the session, a UTC timestamp and the data, and is posted as text/plain', async () => {
  const b = browser();
  init(b);
  const id = b.eye.track('video', 'play', { seconds: 3 });
  await b.advance(2000);
  assert.equal(b.requests.length, 1);
  const request = b.requests[0];
  assert.equal(request.url, 'https://walleye.example.com/api/v1/browser/events');
  assert.equal(request.init.headers['Content-Type'], 'text/plain');
  assert.equal(request.init.credentials, 'omit');
  assert.equal(request.body.key, 'pk_test');
  const [event] = request.body.events;
  assert.equal(event.id, id);
  assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(event.session_id, /^[0-9a-f-]{36}$/);
  assert.equal(event.timestamp, '2026-12-05T10:00:00.000Z');
  assert.deepEqual(event.data, { seconds: 3 });
  assert.equal(b.eye.stats().queued, 0);
});

test('events are batched by time, and sent at once when a batch is full', async () => {
  const b = browser();
  init(b, { batchSize: 3, flushInterval: 5000 });
  b.eye.track('a', 'one');
  b.eye.track('a', 'two');
  await b.advance(4000);
  assert.equal(b.requests.length, 0);
  b.eye.track('a', 'three');
  await b.advance(0);
  assert.equal(b.requests.length, 1);
  assert.deepEqual(b.requests[0].body.events.map((e) => e.name), ['one', 'two', 'three']);
});

test('the session id is kept in sessionStorage and renewed after 30 minutes of inactivity', async () => {
  const b = browser();
  init(b);
  b.eye.track('a', '1');
  b.clock.t += 29 * 60 * 1000;
  b.eye.track('a', '2');
  b.clock.t += 31 * 60 * 1000;
  b.eye.track('a', '3');
  await b.advance(2000);
  const [first, second, third] = sent(b);
  assert.equal(first.session_id, second.session_id);
  assert.notEqual(second.session_id, third.session_id);
  assert.equal(JSON.parse(b.win.sessionStorage.getItem('eye_session')).id, third.session_id);
});

test('a failed send is retried with backoff, honouring Retry-After, and sends the same event ids', async () => {
  const b = browser();
  init(b);
  b.answers.push({ status: 429, headers: { 'Retry-After': '7' } }, { status: 503 }, { status: 202 });
  b.eye.track('a', 'x');
  await b.advance(2000);
  assert.equal(b.requests.length, 1);
  await b.advance(6900);
  assert.equal(b.requests.length, 1, 'waits the 7 s the server asked for');
  await b.advance(200);
  assert.equal(b.requests.length, 2);
  await b.advance(60000);
  assert.equal(b.requests.length, 3);
  assert.equal(new Set(sent(b).map((e) => e.id)).size, 1);
  assert.equal(b.eye.stats().queued, 0);
});

test('offline, events wait in localStorage and survive a reload; online, they are delivered', async () => {
  const local = new Storage();
  const first = browser({ localStorage: local });
  init(first);
  first.nav.onLine = false;
  first.eye.track('a', 'offline 1');
  first.eye.track('a', 'offline 2');
  await first.advance(10000);
  assert.equal(first.requests.length, 0);
  assert.equal(JSON.parse(local.getItem('eye_queue')).length, 2);

  const reloaded = browser({ localStorage: local });
  reloaded.nav.onLine = false;
  init(reloaded);
  await reloaded.advance(5000);
  assert.equal(reloaded.requests.length, 0);
  reloaded.nav.onLine = true;
  reloaded.win.dispatch('online');
  await reloaded.advance(0);
  assert.deepEqual(sent(reloaded).map((e) => e.name), ['offline 1', 'offline 2']);
  assert.equal(local.getItem('eye_queue'), null);
});

test('a network failure keeps the events for the next attempt', async () => {
  const b = browser();
  init(b);
  b.answers.push({ offline: true });
  b.eye.track('a', 'x');
  await b.advance(2000);
  assert.equal(b.eye.stats().queued, 1);
  await b.advance(60000);
  assert.equal(b.requests.length, 2);
  assert.equal(b.eye.stats().queued, 0);
});

test('the queue is bounded: the oldest events are dropped and counted', async () => {
  const b = browser();
  init(b, { maxQueue: 3, flushInterval: 100000, batchSize: 100 });
  b.nav.onLine = false;
  for (let i = 1; i <= 5; i++) b.eye.track('a', String(i));
  assert.deepEqual(JSON.parse(b.win.localStorage.getItem('eye_queue')).map((e) => e.name), ['3', '4', '5']);
  assert.deepEqual(b.eye.stats(), { queued: 3, dropped: 2 });
});

test('events the server refuses by index are dropped, the rest sent again', async () => {
  const b = browser();
  init(b);
  b.answers.push({ status: 400, body: { code: 'invalid_events', errors: [{ index: 1, field: 'category', message: 'x' }] } });
  b.eye.track('a', 'good');
  b.eye.track('', 'bad');
  await b.advance(2000);
  await b.advance(0);
  assert.equal(b.requests.length, 2);
  assert.deepEqual(b.requests[1].body.events.map((e) => e.name), ['good']);
  assert.equal(b.eye.stats().dropped, 1);
});

test('a refused key or origin stops sending and empties the queue', async () => {
  const b = browser();
  init(b);
  b.answers.push({ status: 403, body: { code: 'origin_not_allowed' } });
  b.eye.track('a', 'x');
  await b.advance(2000);
  assert.equal(b.eye.track('a', 'y'), null);
  await b.advance(60000);
  assert.equal(b.requests.length, 1);
  assert.equal(b.eye.stats().queued, 0);
});

test('on pagehide and when hidden, the queue leaves with sendBeacon as text/plain', async () => {
  const b = browser();
  init(b, { flushInterval: 100000 });
  b.eye.track('a', 'x');
  b.win.dispatch('pagehide');
  assert.equal(b.nav.beacons.length, 1);
  assert.equal(b.nav.beacons[0].blob.type, 'text/plain');
  assert.equal(JSON.parse(b.nav.beacons[0].blob.text).events[0].name, 'x');
  assert.equal(b.eye.stats().queued, 0);
  b.eye.track('a', 'y');
  b.doc.visibilityState = 'hidden';
  b.doc.dispatch('visibilitychange');
  assert.equal(b.nav.beacons.length, 2);
});

test('a beacon the browser refuses leaves the events queued', async () => {
  const b = browser();
  init(b, { flushInterval: 100000 });
  b.nav.sendBeacon = () => false;
  b.eye.track('a', 'x');
  b.win.dispatch('pagehide');
  assert.equal(b.eye.stats().queued, 1);
});

test('optOut stops tracking and clears the queue, persisted; optIn resumes', async () => {
  const local = new Storage();
  const b = browser({ localStorage: local });
  init(b, { flushInterval: 100000 });
  b.eye.track('a', 'x');
  b.eye.optOut();
  assert.equal(b.eye.stats().queued, 0);
  assert.equal(b.eye.track('a', 'y'), null);
  const later = browser({ localStorage: local });
  init(later);
  assert.equal(later.eye.optedOut(), true);
  assert.equal(later.eye.track('a', 'z'), null);
  later.eye.optIn();
  assert.notEqual(later.eye.track('a', 'z'), null);
});

test('Do Not Track and Global Privacy Control are honoured only when configured', async () => {
  const ignoring = browser();
  ignoring.nav.doNotTrack = '1';
  init(ignoring);
  assert.notEqual(ignoring.eye.track('a', 'x'), null);

  const dnt = browser();
  dnt.nav.doNotTrack = '1';
  init(dnt, { respectDoNotTrack: true });
  assert.equal(dnt.eye.track('a', 'x'), null);

  const gpc = browser();
  gpc.nav.globalPrivacyControl = true;
  init(gpc, { respectDoNotTrack: true });
  assert.equal(gpc.eye.track('a', 'x'), null);
});

test('autocapture: a pageview on load and on pushState and popstate navigations, not on the same path', async () => {
  const b = browser();
  init(b, { autocapture: true });
  b.win.history.pushState({}, '', '/pricing');
  b.win.history.pushState({}, '', '/pricing');
  b.win.location.pathname = '/';
  b.win.dispatch('popstate');
  await b.advance(2000);
  assert.deepEqual(sent(b).map((e) => [e.category, e.name, e.data.path]), [
    ['page interaction', 'pageview', '/'],
    ['page interaction', 'pageview', '/pricing'],
    ['page interaction', 'pageview', '/']
  ]);
  assert.equal(sent(b)[0].data.host, 'www.example.com');
});

function element(attributes, parent) {
  return {
    attributes, parent, tagName: 'BUTTON', id: '',
    getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; },
    closest(selector) {
      const name = selector.slice(1, -1);
      for (let e = this; e; e = e.parent) if (name in e.attributes) return e;
      return null;
    }
  };
}

test('autocapture: a click inside an element marked data-eye-cta is a cta click naming it', async () => {
  const b = browser();
  init(b, { autocapture: { pageview: false } });
  const button = element({ 'data-eye-cta': 'chat bubble' });
  b.doc.dispatch('click', { target: element({}, button) });
  b.doc.dispatch('click', { target: element({}) });
  await b.advance(2000);
  assert.deepEqual(sent(b).map((e) => e.data), [{ host: 'www.example.com', path: '/', element: 'chat bubble' }]);
  assert.equal(sent(b)[0].name, 'cta click');
});

test('autocapture: a form sends only its listed fields, never a password, and unlisted forms nothing', async () => {
  const b = browser();
  init(b, { autocapture: { pageview: false } });
  const fields = {
    first_name: { type: 'text', value: 'John' },
    last_name: { type: 'text', value: 'Doe' },
    password: { type: 'password', value: 'hunter2' },
    email: { type: 'email', value: 'john@example.com' }
  };
  const form = (list) => ({
    getAttribute: (name) => (name === 'data-eye-fields' ? list : null),
    elements: { namedItem: (name) => fields[name] || null }
  });
  b.doc.dispatch('submit', { target: form('first_name, last_name,password,missing') });
  b.doc.dispatch('submit', { target: form(null) });
  await b.advance(2000);
  const events = sent(b);
  assert.equal(events.length, 1);
  assert.equal(events[0].category, 'form interaction');
  assert.equal(events[0].name, 'submit');
  assert.deepEqual(events[0].data.form, { first_name: 'John', last_name: 'Doe' });
  assert.doesNotMatch(JSON.stringify(b.requests), /hunter2|john@example/);
});

test('the version in the script is the package version', () => {
  const b = browser();
  assert.equal(b.eye.version, require('../package.json').version);
});
