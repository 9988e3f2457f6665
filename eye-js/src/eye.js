/*! Walleye Eye tracker | https://github.com/walleye — sends a website's events to The Eye with a publishable key. */
(function (root) {
  'use strict';

  var VERSION = '0.1.0';
  var PATH = '/api/v1/browser/events';
  var BEACON_LIMIT = 60000; // bytes; browsers refuse beacons past ~64 KB
  var MAX_BATCH = 500; // the server's limit of events per request

  function createEye(env) {
    var win = env.window || {};
    var doc = env.document;
    var nav = env.navigator || {};
    var now = env.now || Date.now;
    var setTimer = env.setTimeout || setTimeout;
    var clearTimer = env.clearTimeout || clearTimeout;

    var o = null; // options once initialised
    var memory = {}; // stands in for storage a browser refuses (private modes, quotas)
    var timer = null;
    var sending = false;
    var attempts = 0;
    var pausedUntil = 0;
    var stopped = false;
    var lastPath = null;

    function store(kind) {
      try {
        var s = win[kind];
        s.setItem('eye_probe', '1');
        s.removeItem('eye_probe');
        return s;
      } catch (e) {
        return null;
      }
    }

    function read(kind, name) {
      var s = store(kind);
      var text = s ? s.getItem(name) : memory[kind + name];
      return text == null ? null : text;
    }

    function write(kind, name, value) {
      var s = store(kind);
      try {
        if (value == null) {
          if (s) s.removeItem(name);
          delete memory[kind + name];
        } else if (s) {
          s.setItem(name, value);
        } else {
          memory[kind + name] = value;
        }
      } catch (e) {
        memory[kind + name] = value;
      }
    }

    function uuid() {
      var c = win.crypto || env.crypto;
      if (c && c.randomUUID) {
        try {
          return c.randomUUID();
        } catch (e) { /* not a secure context: below */ }
      }
      var b = new Uint8Array(16);
      c.getRandomValues(b);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      var h = [];
      for (var i = 0; i < 16; i++) h.push((b[i] + 0x100).toString(16).slice(1));
      return h.slice(0, 4).join('') + '-' + h.slice(4, 6).join('') + '-' + h.slice(6, 8).join('') + '-' +
        h.slice(8, 10).join('') + '-' + h.slice(10).join('');
    }

    // The session: one id per tab (sessionStorage), renewed after o.sessionTimeout of inactivity.
    function session() {
      var t = now();
      var s = null;
      try {
        s = JSON.parse(read('sessionStorage', 'eye_session'));
      } catch (e) { /* renewed below */ }
      if (!s || !s.id || t - s.last > o.sessionTimeout) s = { id: uuid() };
      s.last = t;
      write('sessionStorage', 'eye_session', JSON.stringify(s));
      return s.id;
    }

    function queue() {
      try {
        var q = JSON.parse(read('localStorage', 'eye_queue'));
        return Array.isArray(q) ? q : [];
      } catch (e) {
        return [];
      }
    }

    function save(q) {
      write('localStorage', 'eye_queue', q.length ? JSON.stringify(q) : null);
    }

    function dropped(n) {
      var d = +read('localStorage', 'eye_dropped') || 0;
      if (n) write('localStorage', 'eye_dropped', String(d + n));
      return d + (n || 0);
    }

    function remove(ids) {
      var gone = {};
      ids.forEach(function (id) { gone[id] = 1; });
      save(queue().filter(function (e) { return !gone[e.id]; }));
    }

    function optedOut() {
      if (read('localStorage', 'eye_opt_out') === '1') return true;
      if (!o.respectDoNotTrack) return false;
      return nav.doNotTrack === '1' || win.doNotTrack === '1' || nav.globalPrivacyControl === true;
    }

    function track(category, name, data) {
      if (!o || stopped || optedOut()) return null;
      var event = {
        id: uuid(),
        session_id: session(),
        category: String(category),
        name: String(name),
        timestamp: new Date(now()).toISOString(),
        data: data || {}
      };
      var q = queue();
      q.push(event);
      if (q.length > o.maxQueue) dropped(q.splice(0, q.length - o.maxQueue).length);
      save(q);
      schedule(q.length >= o.batchSize ? 0 : o.flushInterval);
      return event.id;
    }

    function schedule(delay) {
      if (!o || stopped) return;
      delay = Math.max(delay, pausedUntil - now());
      if (timer != null) {
        if (delay > 0) return;
        clearTimer(timer);
      }
      timer = setTimer(function () {
        timer = null;
        flush();
      }, delay);
    }

    function backoff(retryAfter) {
      attempts++;
      var wait = retryAfter > 0 ? retryAfter * 1000
        : Math.min(o.maxBackoff, 1000 * Math.pow(2, attempts - 1)) * (0.5 + Math.random() / 2);
      pausedUntil = now() + wait;
      schedule(wait);
    }

    function body(events) {
      return JSON.stringify({ key: o.key, events: events });
    }

    // Sends the oldest batch; resolves when it is answered. Events leave the queue only once the server has them.
    function flush() {
      if (!o || stopped || sending || now() < pausedUntil) return Promise.resolve();
      if (nav.onLine === false) return Promise.resolve(); // the 'online' event flushes
      var batch = queue().slice(0, o.batchSize);
      if (!batch.length) return Promise.resolve();
      sending = true;
      // text/plain: a "simple" request, so no CORS preflight precedes it
      return env.fetch(o.host + PATH, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: body(batch),
        keepalive: true,
        credentials: 'omit'
      }).then(function (r) {
        sending = false;
        if (r.status === 202) {
          attempts = 0;
          remove(batch.map(function (e) { return e.id; }));
          if (queue().length) schedule(0);
          return;
        }
        if (r.status === 400) {
          // the events the server named are dropped, the rest sent again; no index: the whole batch is unsendable
          return r.json().then(function (p) {
            var bad = (p.errors || []).filter(function (e) { return e.index != null; })
              .map(function (e) { return batch[e.index] && batch[e.index].id; });
            if (!bad.length) bad = batch.map(function (e) { return e.id; });
            dropped(bad.length);
            remove(bad);
            schedule(0);
          }, function () { dropped(batch.length); remove(batch.map(function (e) { return e.id; })); });
        }
        if (r.status === 401 || r.status === 403) {
          // a revoked key or an origin it does not allow: nothing queued can ever be delivered
          stopped = true;
          dropped(queue().length);
          save([]);
          return;
        }
        if (r.status === 413) {
          dropped(1);
          remove([batch[0].id]);
          schedule(0);
          return;
        }
        backoff(parseInt(r.headers && r.headers.get('Retry-After'), 10));
      }, function () {
        sending = false; // offline or the server unreachable
        backoff(0);
      });
    }

    // When the page goes away, whatever is queued leaves with sendBeacon, which outlives the page.
    function beacon() {
      if (!o || stopped || !nav.sendBeacon || nav.onLine === false) return;
      var q = queue();
      while (q.length) {
        var n = Math.min(q.length, MAX_BATCH);
        while (n > 1 && body(q.slice(0, n)).length > BEACON_LIMIT) n = Math.ceil(n / 2);
        var batch = q.slice(0, n);
        var sent = false;
        try {
          sent = nav.sendBeacon(o.host + PATH, new env.Blob([body(batch)], { type: 'text/plain' }));
        } catch (e) { /* kept for the next page */ }
        if (!sent) break;
        q = q.slice(n);
      }
      save(q);
    }

    function where() {
      var l = win.location || {};
      return { host: l.hostname, path: l.pathname };
    }

    function pageview() {
      var w = where();
      if (w.path === lastPath) return;
      lastPath = w.path;
      track('page interaction', 'pageview', w);
    }

    function onClick(e) {
      var el = e.target && e.target.closest && e.target.closest('[data-eye-cta]');
      if (!el) return;
      var w = where();
      w.element = el.getAttribute('data-eye-cta') || el.id || el.tagName.toLowerCase();
      track('page interaction', 'cta click', w);
    }

    // Only the fields a form lists in data-eye-fields, never a password, never anything unlisted.
    function onSubmit(e) {
      var form = e.target;
      var list = form && form.getAttribute && form.getAttribute('data-eye-fields');
      if (!list) return;
      var fields = {};
      list.split(',').forEach(function (name) {
        name = name.trim();
        var field = name && form.elements.namedItem(name);
        if (!field || field.type === 'password' || field.type === 'file') return;
        fields[name] = field.type === 'checkbox' ? String(field.checked) : String(field.value);
      });
      var w = where();
      w.form = fields;
      track('form interaction', 'submit', w);
    }

    function wrap(history, method) {
      var original = history[method];
      history[method] = function () {
        var result = original.apply(this, arguments);
        pageview();
        return result;
      };
    }

    function autocapture(a) {
      var all = a === true;
      var on = function (name) { return all || (a && a[name] !== false); };
      if (!a) return;
      if (on('pageview')) {
        pageview();
        if (win.history) wrap(win.history, 'pushState');
        win.addEventListener('popstate', pageview);
      }
      if (on('cta') && doc) doc.addEventListener('click', onClick, true);
      if (on('forms') && doc) doc.addEventListener('submit', onSubmit, true);
    }

    return {
      version: VERSION,

      init: function (options) {
        if (o) return this;
        if (!options || !options.host || !options.key) throw new Error('eye.init needs host and key');
        o = {
          host: String(options.host).replace(/\/+$/, ''),
          key: options.key,
          batchSize: Math.min(options.batchSize || 20, MAX_BATCH),
          flushInterval: options.flushInterval == null ? 2000 : options.flushInterval,
          maxQueue: options.maxQueue || 1000,
          maxBackoff: options.maxBackoff || 60000,
          sessionTimeout: options.sessionTimeout || 30 * 60 * 1000,
          respectDoNotTrack: !!options.respectDoNotTrack
        };
        if (win.addEventListener) {
          win.addEventListener('online', function () { pausedUntil = 0; schedule(0); });
          win.addEventListener('pagehide', beacon);
        }
        if (doc && doc.addEventListener) {
          doc.addEventListener('visibilitychange', function () {
            if (doc.visibilityState === 'hidden') beacon();
          });
        }
        autocapture(options.autocapture == null ? true : options.autocapture);
        if (queue().length) schedule(0); // left by an earlier page or visit
        return this;
      },

      track: track,

      flush: flush,

      optOut: function () {
        write('localStorage', 'eye_opt_out', '1');
        save([]);
      },

      optIn: function () {
        write('localStorage', 'eye_opt_out', null);
      },

      optedOut: function () {
        return !!o && optedOut();
      },

      stats: function () {
        return { queued: queue().length, dropped: dropped(0) };
      }
    };
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = { createEye: createEye };
  }
  if (root && root.document) {
    root.eye = createEye({
      window: root, document: root.document, navigator: root.navigator,
      fetch: root.fetch && root.fetch.bind(root), Blob: root.Blob
    });
  }
})(typeof window !== 'undefined' ? window : this);
