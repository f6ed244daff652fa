/* Frontdoor web chat widget: one script tag, no framework, no cookies. Everything people wrote is put in with
   textContent, never as markup. The visitor token lives in this site's localStorage. */
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !me.src) return;
  var m = /^(https?:\/\/[^\/]+)(\/webchat\/([^\/]+))\/widget\.js/.exec(me.src);
  if (!m) return;
  var base = m[1] + m[2], instance = decodeURIComponent(m[3]);
  var forceHttp = me.getAttribute('data-transport') === 'http';
  var KEY = 'frontdoor-webchat:' + instance;
  var state = load();
  state.outbox = state.outbox || [];
  var ws = null, mode = (forceHttp || !window.WebSocket) ? 'http' : 'ws', stopped = false, wsOpened = false, wsWorked = false;
  var seen = {}, afterSeq = 0, backoff = 1000, connected = false, readMark = null, readSeq = 0, typingTimer = null;
  var FATAL = { origin: 1, unavailable: 1, unknown: 1, connections: 1 };

  function load() { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } }
  function save() { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ } }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var host = el('div');
  host.setAttribute('data-frontdoor-webchat', instance);
  var root = host.attachShadow({ mode: 'open' });
  var style = el('style');
  style.textContent =
    ':host{all:initial}*{box-sizing:border-box;font:14px/1.4 system-ui,sans-serif}' +
    '.launch{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;padding:12px 18px;background:#1f5fbf;color:#fff;cursor:pointer}' +
    '.panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:320px;max-width:calc(100vw - 40px);height:440px;max-height:calc(100vh - 100px);display:none;flex-direction:column;background:#fff;color:#222;border:1px solid #ccd;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.2)}' +
    '.panel.open{display:flex}.head{padding:10px 12px;background:#1f5fbf;color:#fff;border-radius:10px 10px 0 0}' +
    '.log{flex:1;overflow-y:auto;margin:0;padding:8px;list-style:none}.log li{margin:4px 0;padding:6px 9px;border-radius:8px;white-space:pre-wrap;word-wrap:break-word;max-width:85%}' +
    '.visitor{margin-left:auto!important;background:#dbe7fb}.agent{background:#eee}.pending{opacity:.6}.failed{background:#fbdcdc}' +
    '.note{display:block;font-size:11px;color:#a33}.seen{display:block;font-size:11px;color:#557;text-align:right}.typing{padding:0 10px;font-size:12px;color:#557;min-height:1em;font-style:italic}.status{padding:4px 10px;font-size:12px;color:#a33;min-height:1em}' +
    'form{display:flex;gap:6px;padding:8px;border-top:1px solid #eee}textarea{flex:1;resize:none;height:40px}button{cursor:pointer}' +
    'details{padding:0 8px 8px;font-size:12px}details input{width:100%;margin:2px 0}';
  root.appendChild(style);
  var launch = el('button', 'launch', 'Chat');
  launch.type = 'button';
  var panel = el('div', 'panel');
  var head = el('div', 'head', 'Chat');
  var log = el('ul', 'log');
  var typing = el('div', 'typing');
  typing.setAttribute('aria-live', 'polite');
  var seenNote = el('span', 'seen', 'Seen');
  var status = el('div', 'status');
  status.setAttribute('role', 'status');
  var form = el('form');
  var input = el('textarea');
  input.setAttribute('aria-label', 'Message');
  var sendButton = el('button', 'send', 'Send');
  sendButton.type = 'submit';
  form.appendChild(input);
  form.appendChild(sendButton);
  var more = el('details');
  more.appendChild(el('summary', null, 'Name, e-mail, other device'));
  var nameIn = el('input', 'name'); nameIn.placeholder = 'Your name (optional)'; nameIn.value = state.name || '';
  var mailIn = el('input', 'email'); mailIn.type = 'email'; mailIn.placeholder = 'Your e-mail (optional)'; mailIn.value = state.email || '';
  var confirmButton = el('button', 'confirm-start', 'Confirm my e-mail');
  confirmButton.type = 'button';
  var codeTyped = el('input', 'confirm-code'); codeTyped.placeholder = 'Code from the e-mail'; codeTyped.inputMode = 'numeric';
  var checkButton = el('button', 'confirm', 'Check code');
  checkButton.type = 'button';
  var codeButton = el('button', 'code', 'Continue on another device');
  codeButton.type = 'button';
  var codeOut = el('input', 'code-out'); codeOut.readOnly = true; codeOut.placeholder = 'Your code appears here';
  var codeIn = el('input', 'code-in'); codeIn.placeholder = 'Paste a code from another device';
  [nameIn, mailIn, confirmButton, codeTyped, checkButton, codeButton, codeOut, codeIn].forEach(function (x) { more.appendChild(x); });
  [head, log, typing, status, form, more].forEach(function (x) { panel.appendChild(x); });
  root.appendChild(launch);
  root.appendChild(panel);
  (document.body || document.documentElement).appendChild(host);

  launch.addEventListener('click', function () { panel.classList.toggle('open'); if (panel.classList.contains('open')) input.focus(); });
  nameIn.addEventListener('change', function () { state.name = nameIn.value; save(); });
  mailIn.addEventListener('change', function () { state.email = mailIn.value; save(); });
  function ask(action, frame) {
    frame.type = action;
    if (mode === 'ws') { if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame)); }
    else post(action, frame).then(handle, function () { say('The chat cannot be reached right now.'); });
  }
  confirmButton.addEventListener('click', function () {
    state.email = mailIn.value.trim(); save();
    if (!state.email) { say('Type your e-mail first.'); return; }
    ask('confirm-start', { email: state.email, conversation: state.conversation || 0 });
  });
  checkButton.addEventListener('click', function () {
    if (!state.challenge) { say('Ask for a code first.'); return; }
    ask('confirm', { challenge: state.challenge, code: codeTyped.value.trim() });
  });
  codeButton.addEventListener('click', function () {
    // the code is this browser's token and conversation: whoever has it can read this chat
    if (state.token) codeOut.value = state.token + '~' + (state.conversation || 0);
  });
  codeIn.addEventListener('change', function () {
    var parts = codeIn.value.trim().split('~');
    if (parts.length !== 2 || !parts[0]) return;
    state = { token: parts[0], conversation: +parts[1] || 0, outbox: [] };
    save();
    while (log.firstChild) log.removeChild(log.firstChild);
    seen = {}; afterSeq = 0; readMark = null; readSeq = 0;
    reconnect(0);
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    if (state.maxChars && Array.from(text).length > state.maxChars) { say('The message is longer than ' + state.maxChars + ' characters.'); return; }
    var id = 'c' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var entry = { id: id, text: text };
    state.outbox.push(entry);
    save();
    input.value = '';
    render({ id: 'c:' + id, from: 'visitor', text: text }, true);
    if (connected) transmit(entry);
  });

  state.outbox.forEach(function (e) { render({ id: 'c:' + e.id, from: 'visitor', text: e.text }, true); });

  function say(text) { status.textContent = text || ''; }
  function li(id) { return log.querySelector('li[data-id="' + id + '"]'); }
  function render(item, pending) {
    if (seen[item.id]) return;
    seen[item.id] = 1;
    // seq: the item's place in the conversation, in the order it was committed (ids are not: nodes take them in blocks)
    var seq = +item.seq || 0;
    if (item.from === 'agent' && seq > afterSeq) afterSeq = seq;
    var row = el('li', item.from === 'agent' ? 'agent' : 'visitor', item.text);
    row.setAttribute('data-id', item.id);
    if (seq) row.setAttribute('data-seq', seq);
    if (pending) row.classList.add('pending');
    var before = null;
    if (seq) {
      // a row that belongs earlier than one shown already goes before it
      for (var r = log.lastElementChild; r; r = r.previousElementSibling) {
        var s = +r.getAttribute('data-seq') || 0;
        if (s && s > seq) before = r; else if (s) break;
      }
    }
    log.insertBefore(row, before);
    if (item.from === 'agent') showTyping(false);
    markRead();
    log.scrollTop = log.scrollHeight;
  }
  // "Seen" under the visitor's latest message that agents have read: the message the mark names (m<message id>) and
  // those before it in the conversation (rows in order, by seq where known), never by comparing ids
  function markRead() {
    if (!readMark) return;
    var rows = log.querySelectorAll('li.visitor[data-id^="m"]'), last = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute('data-id') === readMark) { last = rows[i]; break; }
      var s = +rows[i].getAttribute('data-seq') || 0;
      if (readSeq && s && s <= readSeq) last = rows[i];
    }
    if (last && seenNote.parentNode !== last) last.appendChild(seenNote);
    host.setAttribute('data-read-up-to', readMark);
  }
  function read(mark, seq) {
    seq = +seq || 0;
    if (!mark || (seq && seq < readSeq)) return; // the mark never moves back
    readMark = String(mark);
    if (seq) readSeq = seq;
  }
  function showTyping(on, text) {
    clearTimeout(typingTimer);
    typing.textContent = on ? text : '';
    if (on) { host.setAttribute('data-typing', 'yes'); typingTimer = setTimeout(function () { showTyping(false); }, 6000); }
    else host.removeAttribute('data-typing');
  }
  function frameFor(entry) {
    var f = { type: 'send', id: entry.id, text: entry.text };
    if (state.name) f.name = state.name;
    if (state.email) f.email = state.email;
    return f;
  }
  function transmit(entry) {
    if (mode === 'ws') { if (ws && ws.readyState === 1) ws.send(JSON.stringify(frameFor(entry))); }
    else post('send', frameFor(entry)).then(handle, function () { reconnect(backoff); });
  }
  function dropOutbox(id) { state.outbox = state.outbox.filter(function (e) { return e.id !== id; }); save(); }

  function handle(f) {
    if (!f || !f.type) return;
    if (f.type === 'welcome') {
      connected = true; backoff = 1000; say('');
      host.setAttribute('data-transport', mode);
      if (f.token) state.token = f.token;
      if (f.conversation) state.conversation = f.conversation;
      if (f.title) head.textContent = f.title;
      state.maxChars = f.maxChars;
      save();
      if (f.readUpTo) read(f.readUpTo, f.readUpToSeq);
      (f.items || []).forEach(function (it) { render(it); });
      markRead();
      state.outbox.forEach(transmit);
      if (mode === 'http') poll();
    } else if (f.type === 'ack') {
      var row = li('c:' + f.id);
      // stored before, and in the history already (its first ack was lost): one row is enough
      if (row && seen['m' + f.message] && li('m' + f.message)) row.parentNode.removeChild(row);
      else if (row) { row.classList.remove('pending'); row.setAttribute('data-id', 'm' + f.message); row.classList.add('sent'); }
      seen['m' + f.message] = 1;
      if (f.conversation) state.conversation = f.conversation;
      dropOutbox(f.id);
      markRead();
    } else if (f.type === 'retry') {
      setTimeout(function () { state.outbox.forEach(function (e) { if (e.id === f.id) transmit(e); }); }, 3000);
    } else if (f.type === 'refused') {
      if (f.id) {
        var r = li('c:' + f.id);
        if (r) { r.classList.remove('pending'); r.classList.add('failed'); r.appendChild(el('span', 'note', 'Not sent: ' + f.reason)); }
        dropOutbox(f.id);
      } else if (f.code === 'token') {
        state.token = null; state.conversation = 0; save(); reconnect(0);
      } else if (!FATAL[f.code]) {
        if (f.code === 'confirm-locked' || f.code === 'confirm-expired') { state.challenge = null; save(); }
        say(f.reason);
      } else {
        stopped = true; connected = false; say(f.reason); host.setAttribute('data-refused', f.code || 'refused');
        launch.textContent = 'Chat unavailable'; input.disabled = sendButton.disabled = true; panel.classList.add('open');
      }
    } else if (f.type === 'confirm-sent') {
      state.challenge = f.challenge; save();
      say('We sent a code to ' + state.email + '. Type it below within ' + (f.minutes || 15) + ' minutes.');
    } else if (f.type === 'confirmed') {
      state.challenge = null; state.confirmed = f.email; save(); say(f.text || ('Your e-mail ' + f.email + ' is confirmed.'));
    } else if (f.type === 'item') {
      render(f.item);
    } else if (f.type === 'items') {
      (f.items || []).forEach(function (it) { render(it); });
      (f.frames || []).forEach(handle);
    } else if (f.type === 'status') {
      say(f.text); host.setAttribute('data-status', f.code);
    } else if (f.type === 'read') {
      read(f.upTo, f.seq); markRead();
    } else if (f.type === 'typing') {
      showTyping(true, f.text);
    }
  }

  function post(action, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (state.token) headers['X-Webchat-Token'] = state.token;
    return fetch(base + '/' + action, { method: 'POST', headers: headers, body: JSON.stringify(body), credentials: 'omit', mode: 'cors' })
      .then(function (res) { return res.json(); });
  }
  var polling = false;
  function poll() {
    if (polling || stopped || mode !== 'http') return;
    polling = true;
    post('poll', { conversation: state.conversation || 0, afterSeq: afterSeq }).then(function (f) {
      polling = false; handle(f);
      if (f && f.type === 'refused') return;
      poll();
    }, function () { polling = false; connected = false; reconnect(backoff); });
  }
  var timer = null;
  function reconnect(delay) {
    if (stopped) return;
    connected = false;
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
    backoff = Math.min(backoff * 2, 30000);
  }
  function connect() {
    if (stopped) return;
    if (mode === 'http') {
      say('');
      post('hello', { conversation: state.conversation || 0 }).then(handle, function () {
        say('The chat cannot be reached right now.'); reconnect(backoff);
      });
      return;
    }
    wsOpened = false;
    try { ws = new WebSocket(base.replace(/^http/, 'ws') + '/ws'); } catch (e) { mode = 'http'; connect(); return; }
    ws.onopen = function () {
      wsOpened = wsWorked = true;
      var hello = { type: 'hello', conversation: state.conversation || 0 };
      if (state.token) hello.token = state.token;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (ev) { try { handle(JSON.parse(ev.data)); } catch (e) { /* not ours */ } };
    ws.onclose = function () {
      connected = false;
      if (stopped) return;
      if (!wsOpened && !wsWorked) { mode = 'http'; connect(); return; } // blocked on the way: long polling
      reconnect(backoff);
    };
  }
  connect();
})();
