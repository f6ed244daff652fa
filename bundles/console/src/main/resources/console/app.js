// The agents' console: Preact without a build step (h() calls, no JSX). Customer text is only ever a text child of
// an element (Preact sets it as a text node), never markup.
import { h, render } from 'preact';
import { useState, useEffect, useRef, useCallback } from 'preact/hooks';
import { Conversation } from './conversation.js';
import { Shortcuts } from './shortcuts.js';

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

function Desk({ me, onOut }) {
  const selected = useRoute();
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
      h('span', { class: 'live', id: 'live' }, live ? 'live' : 'connecting…'),
      h('span', { class: 'who', id: 'who' }, me.user),
      h('button', { id: 'logout', onClick: logout }, 'Log out')),
    h(Shortcuts),
    h('main', { class: selected ? 'open' : '' },
      h(Inbox, { user: me.user, selected, items, view, setView, departments }),
      selected ? h(Conversation, { key: selected, id: selected, user: me.user, version, departments, api })
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
