// The agents' console: Preact without a build step (h() calls, no JSX). Customer text is only ever a text child of
// an element (Preact sets it as a text node), never markup.
import { h, render } from 'preact';
import { useState, useEffect, useRef, useCallback } from 'preact/hooks';
import { Nav, usePage } from './nav.js';
import { Dashboard } from './dashboard.js';
import { Admin } from './admin.js';

const API = '/api/v1';
let csrf = null;

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-CSRF-Token'] = csrf || '';
  }
  const response = await fetch(API + path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  if (response.status !== 204) {
    try { json = await response.json(); } catch (e) { json = null; }
  }
  if (response.status === 401 && path !== '/session') {
    window.dispatchEvent(new CustomEvent('frontdoor-logged-out'));
  }
  return { status: response.status, ok: response.ok, json };
}

const RANK = { NEW: 0, QUEUED: 1, ASSIGNED: 2, SNOOZED: 3, RESOLVED: 4 };
/** Most urgent first: higher priority, then open before assigned, then the longest waiting. */
function byUrgency(a, b) {
  return (b.priority - a.priority) || (RANK[a.status] - RANK[b.status])
    || String(a.lastActivityAt).localeCompare(String(b.lastActivityAt));
}

function Login({ onIn }) {
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const form = event.target;
    const r = await api('POST', '/session', { username: form.username.value, password: form.password.value });
    if (r.ok) { csrf = r.json.csrfToken; onIn(r.json); } else { setError(r.json && r.json.error || 'login failed'); }
  };
  return h('form', { class: 'login', id: 'login', onSubmit: submit },
    h('h1', null, 'Frontdoor'),
    h('label', null, 'User name', h('br'), h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true })),
    h('label', null, 'Password', h('br'), h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { class: 'primary', id: 'sign-in', type: 'submit' }, 'Log in'),
    error && h('p', { class: 'error', role: 'alert' }, error));
}

function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const m = /^#\/c\/(\d+)$/.exec(hash);
  return m ? Number(m[1]) : null;
}

/** The event log as a stream: calls onEvent for each event in scope, and tells whether it is connected. */
function useEvents(onEvent) {
  const [live, setLive] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource(API + '/events/stream?after=now');
    source.addEventListener('ready', () => { setLive(true); handler.current({ type: 'ready' }); });
    source.onmessage = (m) => handler.current(JSON.parse(m.data));
    source.onerror = () => setLive(false);
    return () => source.close();
  }, []);
  return live;
}

function Inbox({ user, selected, items, view, setView, departments }) {
  const shown = items.filter((c) => view.mine ? c.assignee === user : true).sort(byUrgency);
  return h('section', { class: 'list' },
    h('div', { class: 'views' },
      h('select', { id: 'view-status', 'aria-label': 'Status', value: view.status,
        onChange: (e) => setView({ ...view, status: e.target.value }) },
        h('option', { value: '' }, 'All statuses'),
        Object.keys(RANK).map((s) => h('option', { value: s }, s.toLowerCase()))),
      h('select', { id: 'view-department', 'aria-label': 'Department', value: view.department,
        onChange: (e) => setView({ ...view, department: e.target.value }) },
        h('option', { value: '' }, 'All departments'),
        departments.map((d) => h('option', { value: d }, d))),
      h('label', null, h('input', { type: 'checkbox', id: 'view-mine', checked: view.mine,
        onChange: (e) => setView({ ...view, mine: e.target.checked }) }), ' Mine')),
    h('p', { class: 'meta', id: 'count' }, shown.length + ' conversation' + (shown.length === 1 ? '' : 's')),
    h('ul', { id: 'inbox' }, shown.map((c) => h('li', {
      key: c.id, 'data-id': c.id, class: 'conv p' + c.priority + (c.id === selected ? ' selected' : '') },
      h('a', { href: '#/c/' + c.id },
        h('div', null, h('strong', { class: 'customer' }, c.customerName || 'Customer ' + c.customerId)),
        h('div', { class: 'preview' }, c.preview || ''),
        h('div', { class: 'meta' }, [c.channel + ':' + c.instance, c.department || 'unrouted', c.status.toLowerCase(),
          c.assignee ? 'assigned to ' + c.assignee : null].filter(Boolean).join(' · ')))))));
}

function Composer({ id, onSent }) {
  const [text, setText] = useState('');
  const typedAt = useRef(0);
  const [count, setCount] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let stale = false;
    const t = setTimeout(async () => {
      const r = await api('POST', '/conversations/' + id + '/replies/measure', { text });
      if (!stale && r.ok) { setCount(r.json); }
    }, 150);
    return () => { stale = true; clearTimeout(t); };
  }, [id, text]);
  const send = async () => {
    setBusy(true);
    setError(null);
    const r = await api('POST', '/conversations/' + id + '/replies', { text });
    setBusy(false);
    if (r.ok) { setText(''); onSent(); } else { setError(r.json && r.json.error || 'not sent'); }
  };
  const label = count ? count.length + (count.maxLength && count.messages <= 1 ? ' / ' + count.maxLength : '')
    + ' ' + count.unit + (count.messages > 1 ? ' · ' + count.messages + ' messages' : '') : '';
  return h('div', { class: 'composer' },
    h('textarea', { id: 'composer', 'aria-label': 'Reply', value: text, onInput: (e) => {
      setText(e.target.value);
      // the customer's door shows "typing" (the web chat does); one signal per 3 s is enough
      if (Date.now() - typedAt.current > 3000) {
        typedAt.current = Date.now();
        api('POST', '/conversations/' + id + '/typing', {});
      }
    } }),
    h('div', { class: 'actions' },
      h('span', { id: 'counter', 'data-fits': count ? String(count.fits) : 'true',
        'data-length': count ? count.length : '' }, label),
      count && count.refusal && h('span', { class: 'error' }, count.refusal),
      h('button', { class: 'primary', id: 'send', disabled: busy || !text.trim() || (count && !count.fits),
        onClick: send }, 'Send')),
    error && h('p', { class: 'error', role: 'alert' }, error));
}

/** Later than now by a choice of the snooze menu, as an ISO instant. */
function snoozeUntil(choice) {
  const d = new Date();
  if (choice === 'tomorrow') { d.setDate(d.getDate() + 1); d.setHours(9, 0, 0, 0); } else { d.setTime(d.getTime() + Number(choice) * 3600000); }
  return d.toISOString();
}

function Conversation({ id, user, version, departments }) {
  const [detail, setDetail] = useState(null);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState('');
  const [snooze, setSnooze] = useState('1');
  const [why, setWhy] = useState(null);
  const [missing, setMissing] = useState(null);
  const [error, setError] = useState(null);
  const load = useCallback(async () => {
    const r = await api('GET', '/conversations/' + id);
    if (r.status === 404) { setMissing(r.json.error); setDetail(null); return; }
    if (r.ok) {
      setMissing(null);
      setDetail(r.json);
      // what the agent has on screen is read: the customer's door may show "Seen"
      const last = r.json.messages.length ? r.json.messages[r.json.messages.length - 1].id : null;
      if (last !== null && (r.json.readUpTo || 0) < last) { api('POST', '/conversations/' + id + '/read', { upTo: last }); }
    }
    const w = await api('GET', '/conversations/' + id + '/why');
    if (w.ok) { setWhy(w.json); }
  }, [id]);
  useEffect(() => { load(); }, [id, version]);
  if (missing) { return h('section', { class: 'conversation', id: 'missing' }, h('p', null, missing)); }
  if (!detail) { return h('section', { class: 'conversation' }, h('p', null, 'Loading…')); }
  const s = detail.summary;
  const act = async (what, body) => {
    const r = await api('POST', '/conversations/' + id + '/' + what, body);
    setError(r.ok ? null : (r.json && r.json.error || what + ' failed'));
    load();
  };
  const retry = async (replyId) => {
    const r = await api('POST', '/replies/' + replyId + '/retry', {});
    setError(r.ok ? null : (r.json && r.json.error || 'retry failed'));
    load();
  };
  const addNote = async () => {
    const r = await api('POST', '/conversations/' + id + '/notes', { text: note });
    if (r.ok) { setNote(''); }
    setError(r.ok ? null : (r.json && r.json.error || 'note failed'));
    load();
  };
  const items = [
    ...detail.messages.map((m) => ({ kind: 'customer', seq: m.seq, m })),
    ...detail.replies.map((r) => ({ kind: 'agent', seq: r.seq, r })),
    ...(detail.notes || []).map((n) => ({ kind: 'note', seq: n.seq, n })),
  ].sort((a, b) => a.seq - b.seq);
  const others = departments.filter((d) => d !== s.department);
  return h('section', { class: 'conversation', id: 'conversation', 'data-id': id },
    h('p', null, h('a', { href: '#/', class: 'back' }, '← Inbox')),
    h('h2', null, s.customerName || 'Customer ' + s.customerId),
    h('p', { class: 'meta' }, s.channel + ':' + s.instance + ' · ' + (s.department || 'unrouted') + ' · '
      + s.status.toLowerCase() + (s.assignee ? ' · assigned to ' + s.assignee : '')),
    h('div', { class: 'actions' },
      h('button', { id: 'assign', disabled: s.assignee === user, onClick: () => act('assign', {}) }, 'Assign to me'),
      h('button', { id: 'resolve', disabled: s.status === 'RESOLVED', onClick: () => act('resolve', {}) }, 'Resolve'),
      h('select', { id: 'snooze-for', 'aria-label': 'Snooze for', value: snooze, onChange: (e) => setSnooze(e.target.value) },
        h('option', { value: '1' }, '1 hour'), h('option', { value: '4' }, '4 hours'),
        h('option', { value: 'tomorrow' }, 'tomorrow 9:00')),
      h('button', { id: 'snooze', disabled: s.status === 'RESOLVED',
        onClick: () => act('snooze', { until: snoozeUntil(snooze) }) }, 'Snooze'),
      h('select', { id: 'transfer-to', 'aria-label': 'Transfer to', value: target, onChange: (e) => setTarget(e.target.value) },
        h('option', { value: '' }, 'Transfer to…'), others.map((d) => h('option', { value: d }, d))),
      h('button', { id: 'transfer', disabled: !target, onClick: () => { act('transfer', { department: target }); setTarget(''); } },
        'Transfer')),
    error && h('p', { class: 'error', role: 'alert' }, error),
    h('ul', { id: 'thread' }, items.map((item) => item.kind === 'customer'
      ? h('li', { key: 'm' + item.m.id, class: 'message customer ' + item.m.visibility.toLowerCase(), 'data-id': item.m.id },
        h('div', { class: 'author' }, item.m.authorName || item.m.authorHandle,
          h('span', { class: 'badge visibility' }, item.m.visibility === 'PRIVATE' ? 'private' : 'public')),
        h('div', { class: 'text' }, item.m.text))
      : item.kind === 'agent' ? h('li', { key: 'r' + item.r.id, class: 'reply agent ' + item.r.visibility.toLowerCase(), 'data-id': item.r.id,
        'data-status': item.r.status },
        h('div', { class: 'author' }, item.r.author,
          h('span', { class: 'badge visibility' }, item.r.visibility === 'PRIVATE' ? 'private' : 'public')),
        h('div', { class: 'text' }, item.r.text),
        h('div', { class: 'state', 'data-status': item.r.status }, item.r.status.toLowerCase()
          + (item.r.lastError ? ': ' + item.r.lastError : ''),
          item.r.status === 'FAILED' && h('button', { class: 'retry', onClick: () => retry(item.r.id) }, 'Retry')))
      : item.kind === 'note'
      ? h('li', { key: 'n' + item.n.id, class: 'note internal', 'data-id': item.n.id },
        h('div', { class: 'author' }, item.n.author, h('span', { class: 'badge internal' }, 'internal note')),
        h('div', { class: 'text' }, item.n.text))
      : null)),
    h(Composer, { id, onSent: load }),
    h('div', { class: 'note-form' },
      h('input', { id: 'note', 'aria-label': 'Internal note', placeholder: 'Internal note (customers never see it)',
        value: note, onInput: (e) => setNote(e.target.value) }),
      h('button', { id: 'add-note', disabled: !note.trim(), onClick: addNote }, 'Add note')),
    why && h('section', { class: 'why', id: 'why' },
      h('h3', null, 'Why it is here'),
      h('p', null, why.rule ? 'Rule ' + why.rule + (why.reason ? ': ' + why.reason : '') : 'Not routed by a rule yet'),
      h('ul', null, why.history.map((step, i) => h('li', { key: i },
        step.action + (step.detail ? ' ' + step.detail : '') + (step.actor ? ' by ' + step.actor : ''))))));
}

function Desk({ me, onOut }) {
  const selected = useRoute();
  const page = usePage();
  const [items, setItems] = useState([]);
  const [view, setView] = useState({ status: '', department: '', mine: false });
  const [departments, setDepartments] = useState([]);
  const [version, setVersion] = useState(0);
  const loadList = useCallback(async () => {
    const q = new URLSearchParams({ limit: '200' });
    if (view.status) { q.set('status', view.status); }
    if (view.department) { q.set('department', view.department); }
    const r = await api('GET', '/conversations?' + q);
    if (r.ok) { setItems(r.json.items); }
  }, [view]);
  useEffect(() => { loadList(); }, [view]);
  useEffect(() => {
    api('GET', '/departments').then((r) => {
      if (r.ok) { setDepartments((r.json.departments || r.json || []).map((d) => d.id || d.name).filter(Boolean)); }
    });
  }, []);
  const pending = useRef(null);
  const live = useEvents((event) => {
    // coalesce a burst of events into one reload of what is on screen
    clearTimeout(pending.current);
    pending.current = setTimeout(() => { loadList(); setVersion((v) => v + 1); }, 100);
  });
  const logout = async () => { await api('DELETE', '/session'); csrf = null; onOut(); };
  return h('div', { id: 'desk', 'data-live': live ? 'yes' : 'no' },
    h('header', null,
      h('span', { class: 'title' }, 'Frontdoor'),
      h(Nav, { me, page }),
      h('span', { class: 'live', id: 'live' }, live ? 'live' : 'connecting…'),
      h('span', { class: 'who', id: 'who' }, me.user),
      h('button', { id: 'logout', onClick: logout }, 'Log out')),
    page === 'dashboard' ? h(Dashboard, { api, me, version }) : page === 'admin' ? h(Admin, { api, me, version }) :
    h('main', { class: selected ? 'open' : '' },
      h(Inbox, { user: me.user, selected, items, view, setView, departments }),
      selected ? h(Conversation, { key: selected, id: selected, user: me.user, version, departments })
        : h('section', { class: 'conversation' }, h('p', null, 'Choose a conversation.'))));
}

function App() {
  const [me, setMe] = useState(undefined);
  useEffect(() => {
    api('GET', '/session').then((r) => {
      if (r.ok) { csrf = r.json.csrfToken; setMe(r.json); } else { setMe(null); }
    });
    const out = () => { csrf = null; setMe(null); };
    window.addEventListener('frontdoor-logged-out', out);
    return () => window.removeEventListener('frontdoor-logged-out', out);
  }, []);
  if (me === undefined) { return h('p', null, 'Loading…'); }
  return me ? h(Desk, { me, onOut: () => setMe(null) }) : h(Login, { onIn: setMe });
}

render(h(App), document.getElementById('app'));
