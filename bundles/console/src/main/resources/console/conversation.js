// The conversation view of the agents' console: the thread, its actions, the composer, why it is here and the
// customer. Customer text (messages, names, handles, file names) is only ever a text child or an attribute value of
// an element (Preact sets it as a text node or a property), never markup. `api` is app.js's call to the REST API.
import { h } from 'preact';
import { useState, useEffect, useRef, useCallback } from 'preact/hooks';
import { useKeys } from './shortcuts.js';

const API = '/api/v1';

/** A size in bytes as people read it. */
function bytes(n) {
  if (n < 1024) { return n + ' B'; }
  if (n < 1024 * 1024) { return (n / 1024).toFixed(1) + ' KB'; }
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}

/** An instant as a local time, or '' for none. */
function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

/** Later than now by a choice of the snooze menu, as an ISO instant. */
function snoozeUntil(choice) {
  const d = new Date();
  if (choice === 'tomorrow') { d.setDate(d.getDate() + 1); d.setHours(9, 0, 0, 0); } else { d.setTime(d.getTime() + Number(choice) * 3600000); }
  return d.toISOString();
}

/**
 * Where a reply can go: the conversation's own door, and each identity the customer confirmed on a door that runs
 * now (another door, or another address on the same one). Identities not confirmed are never offered: the server
 * refuses them too.
 */
function routes(s, customer, doors) {
  const own = { key: '', label: 'this conversation (' + s.channel + ':' + s.instance + ')', via: null };
  if (!customer) { return [own]; }
  const running = doors.filter((d) => d.status === 'UP' || d.status === 'DEGRADED');
  const out = [own];
  for (const i of customer.identities) {
    if (!i.confirmedAt) { continue; }
    for (const d of running.filter((r) => r.channel === i.channel)) {
      const key = d.channel + ':' + d.instance + ':' + i.handle;
      out.push({ key, label: d.channel + ':' + d.instance + ' to ' + i.handle,
        via: { channel: d.channel, instance: d.instance, handle: i.handle, name: i.displayName || undefined } });
    }
  }
  return out;
}

/** What a reply's state says: queued, retrying with the reason and the next attempt, sent, failed. */
function stateText(r) {
  switch (r.status) {
    case 'QUEUED': return 'queued';
    case 'RETRYING': return 'retrying (attempt ' + r.attempts + ')' + (r.lastError ? ': ' + r.lastError : '')
      + (r.nextAttemptAt ? ' · next try ' + when(r.nextAttemptAt) : '');
    case 'SENT': return 'sent' + (r.sentAt ? ' ' + when(r.sentAt) : '');
    case 'FAILED': return 'failed' + (r.lastError ? ': ' + r.lastError : '');
    default: return r.status.toLowerCase();
  }
}

/**
 * An identity's consent as the customer JSON gives it ({channel, handle, optedIn, since, source, reference, reason},
 * null when nothing was recorded), as one line for people: the state, since when, and why.
 */
function consentText(c) {
  if (!c) { return 'opted in (nothing recorded)'; }
  const how = c.source === 'KEYWORD'
    ? 'texted ' + (c.reason || (c.optedIn ? 'START' : 'STOP')) + (c.reference ? ' (message ' + c.reference + ')' : '')
    : c.source === 'AGENT' ? 'recorded by ' + (c.reference || 'an admin') + (c.reason ? ': ' + c.reason : '')
    : 'imported' + (c.reference ? ' from ' + c.reference : '') + (c.reason ? ': ' + c.reason : '');
  return (c.optedIn ? 'opted in' : 'opted out') + ' since ' + when(c.since) + ' · ' + how;
}

/**
 * The identity a reply on this route goes to when it opted out, or null: the `via` identity, or (the conversation's
 * own door) the customer's identity on that channel that wrote last, as the server checks it before it queues a reply.
 */
function optedOut(route, s, customer, lastHandle) {
  if (!customer) { return null; }
  const out = customer.identities.filter((i) => i.consent && !i.consent.optedIn);
  if (route.via) {
    return out.find((i) => i.channel === route.via.channel && i.handle === route.via.handle) || null;
  }
  const here = out.filter((i) => i.channel === s.channel);
  return here.find((i) => i.handle === lastHandle) || (!lastHandle && here[0]) || null;
}

function Composer({ id, s, customer, doors, latest, lastHandle, onSent, onRefused, api, composerRef }) {
  const [text, setText] = useState('');
  const [through, setThrough] = useState('');
  const [visibility, setVisibility] = useState('');
  const typedAt = useRef(0);
  const [count, setCount] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const options = routes(s, customer, doors);
  const route = options.find((o) => o.key === through) || options[0];
  const stopped = optedOut(route, s, customer, lastHandle);
  useEffect(() => {
    let stale = false;
    const t = setTimeout(async () => {
      const body = route.via ? { text, via: route.via } : { text };
      const r = await api('POST', '/conversations/' + id + '/replies/measure', body);
      if (!stale && r.ok) { setCount(r.json); }
    }, 150);
    return () => { stale = true; clearTimeout(t); };
  }, [id, text, route.key]);
  const both = !route.via && count && (count.visibilities || []).length > 1;
  // as the customer last wrote, where the door can answer so; the agent may choose the other where it has both
  const shown = visibility || (latest === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE');
  const send = async () => {
    setBusy(true);
    setError(null);
    const body = route.via ? { text, via: route.via } : (both ? { text, visibility: shown.toLowerCase() } : { text });
    const r = await api('POST', '/conversations/' + id + '/replies', body);
    setBusy(false);
    if (r.ok) { setText(''); onSent(); } else {
      // the server's own words: a recipient who opted out is refused (409) with what happened and what undoes it
      setError(r.json && r.json.error || 'not sent');
      if (r.status === 409) { onRefused(); }
    }
  };
  const label = count ? count.length + (count.maxLength && count.messages <= 1 ? ' / ' + count.maxLength : '')
    + ' ' + count.unit + (count.messages > 1 ? ' · ' + count.messages + ' messages' : '')
    + (count.channel ? ' · ' + count.channel + ':' + count.instance : '') : '';
  return h('div', { class: 'composer' },
    h('div', { class: 'actions' },
      h('label', null, 'Reply through ',
        h('select', { id: 'reply-through', value: route.key, onChange: (e) => setThrough(e.target.value) },
          options.map((o) => h('option', { key: o.key, value: o.key },
            o.label + (optedOut(o, s, customer, lastHandle) ? ' (opted out)' : ''))))),
      both && h('label', null, ' as ',
        h('select', { id: 'reply-visibility', value: shown, onChange: (e) => setVisibility(e.target.value) },
          h('option', { value: 'PUBLIC' }, 'public'), h('option', { value: 'PRIVATE' }, 'private'))),
      route.via && h('span', { class: 'meta' }, 'a private message, in a new thread there')),
    stopped && h('p', { class: 'error opted-out', id: 'opted-out', 'data-channel': stopped.channel,
      'data-handle': stopped.handle },
      'The customer opted out on ' + stopped.channel + ' ' + stopped.handle + ' (' + consentText(stopped.consent)
        + '): Frontdoor refuses to send them anything until they opt in again.'),
    h('textarea', { id: 'composer', ref: composerRef, 'aria-label': 'Reply', value: text, onInput: (e) => {
      setText(e.target.value);
      // the customer's door shows "typing" (the web chat does); one signal per 3 s is enough
      if (!route.via && Date.now() - typedAt.current > 3000) {
        typedAt.current = Date.now();
        api('POST', '/conversations/' + id + '/typing', {});
      }
    } }),
    h('div', { class: 'actions' },
      h('span', { id: 'counter', 'data-fits': count ? String(count.fits) : 'true',
        'data-length': count ? count.length : '', 'data-door': count ? count.channel + ':' + count.instance : '' }, label),
      count && count.refusal && h('span', { class: 'error' }, count.refusal),
      h('button', { class: 'primary', id: 'send', disabled: busy || !text.trim() || (count && !count.fits),
        onClick: send }, 'Send')),
    error && h('p', { class: 'error', role: 'alert' }, error));
}

function Attachments({ id, m }) {
  if (!m.attachments || !m.attachments.length) { return null; }
  return h('ul', { class: 'attachments' }, m.attachments.map((a, n) => {
    const what = (a.mediaType || 'unknown type') + ', ' + bytes(a.size);
    return h('li', { key: n, class: 'attachment' },
      a.blobRef
        // a download, never shown in the page: the server answers it as an attachment, sandboxed, nosniff
        ? h('a', { href: API + '/conversations/' + id + '/messages/' + m.id + '/attachments/' + n, download: a.name || '',
          class: 'download', rel: 'noopener' }, a.name || 'attachment ' + (n + 1))
        : h('span', { class: 'name' }, a.name || 'attachment ' + (n + 1)),
      h('span', { class: 'meta' }, ' (' + what + ')' + (a.blobRef ? '' : ' not kept: its door refused or is still fetching it')));
  }));
}

function Message({ id, s, m }) {
  const author = m.authorName || m.authorHandle;
  const other = m.customerId !== s.customerId;
  return h('li', { class: 'message customer ' + m.visibility.toLowerCase() + (m.hidden ? ' hidden' : '')
      + (other ? ' participant' : ''), 'data-id': m.id, 'data-author': m.authorHandle },
    h('div', { class: 'author' }, author,
      m.authorName && h('span', { class: 'handle' }, ' ' + m.authorHandle),
      h('span', { class: 'door' }, ' · ' + s.channel + ':' + s.instance),
      other && h('span', { class: 'badge participant' }, 'another participant'),
      h('span', { class: 'badge visibility' }, m.visibility === 'PRIVATE' ? 'private' : 'public'),
      m.hidden && h('span', { class: 'badge hidden' }, 'hidden')),
    h('div', { class: 'text' }, m.text),
    h(Attachments, { id, m }),
    m.hidden && h('div', { class: 'meta hidden-by' }, 'Hidden on its network by ' + m.hidden.by + ' '
      + when(m.hidden.at) + ': ' + m.hidden.reason),
    h('div', { class: 'meta' }, when(m.receivedAt)));
}

/** What the door's vendor reported of a sent reply: Delivered, Read, or Not delivered with its reason. */
function deliveryText(d) {
  if (d.state === 'READ') { return 'Read'; }
  if (d.state === 'DELIVERED') { return 'Delivered'; }
  return 'Not delivered: ' + (d.reason || 'no reason given');
}

function ReplyItem({ s, r, retry }) {
  const door = r.via ? r.via.channel + ':' + r.via.instance + ' to ' + r.via.recipient.handle : s.channel + ':' + s.instance;
  return h('li', { class: 'reply agent ' + r.visibility.toLowerCase() + (r.via ? ' via' : ''), 'data-id': r.id,
      'data-status': r.status },
    h('div', { class: 'author' }, r.author,
      h('span', { class: 'door' }, ' · ' + (r.via ? 'through ' : '') + door),
      h('span', { class: 'badge visibility' }, r.visibility === 'PRIVATE' ? 'private' : 'public')),
    h('div', { class: 'text' }, r.text),
    h('div', { class: 'state', 'data-status': r.status }, stateText(r),
      r.delivery && h('span', { class: 'delivery', 'data-delivery': r.delivery.state }, deliveryText(r.delivery)),
      r.status === 'FAILED' && h('button', { class: 'retry', onClick: () => retry(r.id) }, 'Retry')));
}

function Why({ why }) {
  if (!why) { return null; }
  return h('section', { class: 'why panel', id: 'why' },
    h('h3', null, 'Why it is here'),
    h('p', { id: 'why-rule' }, why.rule ? 'Rule ' + why.rule + (why.reason ? ': ' + why.reason : '') : 'Not routed by a rule yet'),
    why.annotations.length > 0 && h('div', null, h('h4', null, 'Classifiers'),
      h('ul', { id: 'why-annotations' }, why.annotations.map((a, i) => h('li', { key: i },
        a.name + ' ' + a.value + ' (' + Math.round(a.confidence * 100) + '%, ' + a.source + ', message ' + a.messageId + ')')))),
    h('h4', null, 'History'),
    h('ul', { id: 'why-history' }, why.history.map((step, i) => h('li', { key: i, 'data-action': step.action },
      when(step.at) + ' · ' + step.action + (step.detail ? ' ' + step.detail : '') + (step.actor ? ' by ' + step.actor : '')))));
}

function Customer({ id, customer }) {
  if (!customer) { return null; }
  const confirmed = customer.identities.filter((i) => i.confirmedAt);
  const others = customer.conversations.filter((c) => c.id !== id);
  return h('section', { class: 'customer panel', id: 'customer', 'data-id': customer.id },
    h('h3', null, 'Customer'),
    h('p', { class: 'name' }, customer.displayName || 'Customer ' + customer.id),
    h('h4', null, 'Identities'),
    h('ul', { id: 'identities' }, customer.identities.map((i) => h('li', {
      key: i.channel + ' ' + i.handle, 'data-channel': i.channel, 'data-confirmed': i.confirmedAt ? 'yes' : 'no' },
      h('span', { class: 'door' }, i.channel), ' ', h('span', { class: 'handle' }, i.handle),
      i.displayName && h('span', { class: 'meta' }, ' ' + i.displayName),
      h('span', { class: 'badge ' + (i.confirmedAt ? 'confirmed' : 'unconfirmed') },
        i.confirmedAt ? 'confirmed' : 'not confirmed'),
      h('div', { class: 'consent ' + (i.consent ? (i.consent.optedIn ? 'opted-in' : 'opted-out') : 'none'),
        'data-state': i.consent ? (i.consent.optedIn ? 'opted-in' : 'opted-out') : 'none' },
        consentText(i.consent))))),
    h('h4', null, 'Confirmed addresses'),
    confirmed.length ? h('ul', { id: 'confirmed' }, confirmed.map((i) => h('li', { key: i.channel + ' ' + i.handle },
      [i.email, i.phone].filter(Boolean).join(' · ') || i.channel + ' ' + i.handle)))
      : h('p', { class: 'meta', id: 'confirmed' }, 'None yet'),
    h('h4', null, others.length === 1 ? '1 other conversation' : others.length + ' other conversations'),
    h('ul', { id: 'other-conversations' }, others.map((c) => h('li', { key: c.id, 'data-id': c.id },
      h('a', { href: '#/c/' + c.id }, c.channel + ':' + c.instance + ' · ' + c.status.toLowerCase()
        + (c.department ? ' · ' + c.department : '')),
      h('div', { class: 'preview' }, c.preview || '')))));
}

export function Conversation({ id, user, version, departments, api }) {
  const [detail, setDetail] = useState(null);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState('');
  const [snooze, setSnooze] = useState('1');
  const [why, setWhy] = useState(null);
  const [customer, setCustomer] = useState(null);
  const [doors, setDoors] = useState([]);
  const [missing, setMissing] = useState(null);
  const [error, setError] = useState(null);
  const composer = useRef(null);
  const noteField = useRef(null);
  const load = useCallback(async () => {
    const r = await api('GET', '/conversations/' + id);
    if (r.status === 404) { setMissing(r.json.error); setDetail(null); return; }
    if (r.ok) {
      setMissing(null);
      setDetail(r.json);
      // what the agent has on screen is read: the customer's door may show "Seen"
      const last = r.json.messages.length ? r.json.messages[r.json.messages.length - 1].id : null;
      if (last !== null && (r.json.readUpTo || 0) < last) { api('POST', '/conversations/' + id + '/read', { upTo: last }); }
      const c = await api('GET', '/customers/' + r.json.summary.customerId);
      setCustomer(c.ok ? c.json : null);
    }
    const w = await api('GET', '/conversations/' + id + '/why');
    if (w.ok) { setWhy(w.json); }
  }, [id]);
  useEffect(() => { load(); }, [id, version]);
  useEffect(() => {
    api('GET', '/channels').then((r) => { if (r.ok && Array.isArray(r.json)) { setDoors(r.json); } });
  }, [id]);
  const s = detail && detail.summary;
  const act = async (what, body) => {
    const r = await api('POST', '/conversations/' + id + '/' + what, body);
    setError(r.ok ? null : (r.json && r.json.error || what + ' failed'));
    load();
  };
  const reopenable = s && (s.status === 'RESOLVED' || s.status === 'SNOOZED');
  useKeys({
    r: () => composer.current && composer.current.focus(),
    n: () => noteField.current && noteField.current.focus(),
    a: () => s && s.assignee !== user && s.status !== 'RESOLVED' && act('assign', {}),
    e: () => s && s.status !== 'RESOLVED' && act('resolve', {}),
    o: () => reopenable && act('reopen', {}),
  });
  if (missing) { return h('section', { class: 'conversation', id: 'missing' }, h('p', null, missing)); }
  if (!detail) { return h('section', { class: 'conversation' }, h('p', null, 'Loading…')); }
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
  const latest = detail.messages.length ? detail.messages[detail.messages.length - 1].visibility : 'PRIVATE';
  const lastHandle = detail.messages.length ? detail.messages[detail.messages.length - 1].authorHandle : null;
  const others = departments.filter((d) => d !== s.department);
  return h('section', { class: 'conversation', id: 'conversation', 'data-id': id, 'data-status': s.status },
    h('p', null, h('a', { href: '#/', class: 'back' }, '← Inbox')),
    h('h2', null, s.customerName || 'Customer ' + s.customerId),
    h('p', { class: 'meta', id: 'conversation-meta' }, s.channel + ':' + s.instance + ' · ' + (s.department || 'unrouted') + ' · '
      + s.status.toLowerCase() + (s.assignee ? ' · assigned to ' + s.assignee : '')),
    h('div', { class: 'actions' },
      h('button', { id: 'assign', disabled: s.assignee === user || s.status === 'RESOLVED', onClick: () => act('assign', {}) },
        'Assign to me'),
      reopenable
        ? h('button', { id: 'reopen', onClick: () => act('reopen', {}) }, 'Reopen')
        : h('button', { id: 'resolve', onClick: () => act('resolve', {}) }, 'Resolve'),
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
    h('div', { class: 'conversation-body' },
      h('div', { class: 'conversation-main' },
        h('ul', { id: 'thread' }, items.map((item) => item.kind === 'customer'
          ? h(Message, { key: 'm' + item.m.id, id, s, m: item.m })
          : item.kind === 'agent' ? h(ReplyItem, { key: 'r' + item.r.id, s, r: item.r, retry })
          : h('li', { key: 'n' + item.n.id, class: 'note internal', 'data-id': item.n.id },
            h('div', { class: 'author' }, item.n.author, h('span', { class: 'badge internal' }, 'internal note')),
            h('div', { class: 'text' }, item.n.text)))),
        h(Composer, { id, s, customer, doors, latest, lastHandle, onSent: load, onRefused: load, api,
          composerRef: composer }),
        h('div', { class: 'note-form' },
          h('input', { id: 'note', ref: noteField, 'aria-label': 'Internal note',
            placeholder: 'Internal note (customers never see it)', value: note, onInput: (e) => setNote(e.target.value) }),
          h('button', { id: 'add-note', disabled: !note.trim(), onClick: addNote }, 'Add note'))),
      h('aside', { class: 'conversation-side' },
        h(Customer, { id, customer }),
        h(Why, { why }))));
}
