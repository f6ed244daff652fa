// The agents' console: Preact without a build step (h() calls, no JSX). Customer text is only ever a text child of
// an element (Preact sets it as a text node), never markup.
import { h, render } from 'preact';
import { useState, useEffect, useRef } from 'preact/hooks';
import { Conversation } from './conversation.js';
import { Shortcuts } from './shortcuts.js';
import { Inbox } from './inbox.js';
import { NotifyButton, notifyAssigned, installApp } from './install.js';
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

/**
 * The event log as a stream: calls onEvent for each event in scope, and tells whether it is connected. The browser
 * reconnects by itself with Last-Event-ID; when it gives up (the server answered an error while restarting), a new
 * stream resumes after the last event had, once, after a pause: no event is missed and nothing polls.
 */
function useEvents(onEvent) {
  const [live, setLive] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let source = null;
    let last = 'now';
    let again = null;
    const open = () => {
      source = new EventSource(API + '/events/stream?after=' + last);
      source.addEventListener('ready', (m) => {
        if (m.lastEventId) { last = m.lastEventId; }
        setLive(true);
        handler.current({ type: 'ready' });
      });
      source.onmessage = (m) => { last = m.lastEventId || last; handler.current(JSON.parse(m.data)); };
      source.onerror = () => {
        setLive(false);
        if (source.readyState === EventSource.CLOSED) { again = setTimeout(open, 3000); }
      };
    };
    open();
    return () => { clearTimeout(again); source.close(); };
  }, []);
  return live;
}

function Desk({ me, onOut }) {
  const selected = useRoute();
  const page = usePage();
  const [departments, setDepartments] = useState([]);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api('GET', '/departments').then((r) => {
      if (r.ok) { setDepartments((r.json.departments || r.json || []).map((d) => d.id || d.name).filter(Boolean)); }
    });
  }, []);
  const pending = useRef(null);
  const live = useEvents((event) => {
    notifyAssigned(event, me.user);
    // coalesce a burst of events into one reload of what is on screen
    clearTimeout(pending.current);
    pending.current = setTimeout(() => setVersion((v) => v + 1), 100);
  });
  const logout = async () => { await api('DELETE', '/session'); csrf = null; onOut(); };
  return h('div', { id: 'desk', 'data-live': live ? 'yes' : 'no' },
    h('header', null,
      h('span', { class: 'title' }, 'Frontdoor'),
      h(Nav, { me, page }),
      h('span', { class: 'live', id: 'live' }, live ? 'live' : 'connecting…'),
      h('span', { class: 'who', id: 'who' }, me.user),
      h(NotifyButton),
      h('button', { id: 'logout', onClick: logout }, 'Log out')),
    h(Shortcuts),
    page === 'dashboard' ? h(Dashboard, { api, me, version }) : page === 'admin' ? h(Admin, { api, me, version }) :
    h('main', { class: selected ? 'open' : '' },
      h(Inbox, { api, selected, tick: version, departments }),
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

installApp();
render(h(App), document.getElementById('app'));
