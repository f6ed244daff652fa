// The administrator's pages: the doors and their health (with the door's own Check and Reconnect), the routing rules
// installed, the event log's consumers and how far behind they are, the department integrations. Read-only but for
// those two actions: the Karaf shell and etc/*.cfg stay the full administration.
import { h } from 'preact';
import { useState, useEffect } from 'preact/hooks';
import { Refused, since } from './nav.js';

function Door({ api, door, onChanged }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const run = async (what) => {
    setBusy(true);
    const r = await api('POST', '/channels/' + encodeURIComponent(door.channel) + '/'
      + encodeURIComponent(door.instance) + '/' + what, {});
    setBusy(false);
    setResult(r.ok ? { what, ...r.json } : { what, error: (r.json && r.json.error) || what + ' failed' });
    onChanged();
  };
  const key = door.channel + ':' + door.instance;
  return h('li', { class: 'door', 'data-door': key, 'data-status': door.status },
    h('div', { class: 'title-row' },
      h('strong', null, key),
      h('span', { class: 'status ' + door.status }, door.status.toLowerCase().replace('_', ' ')),
      door.since && h('span', { class: 'meta' }, 'since ' + new Date(door.since).toLocaleString())),
    door.reason && h('p', { class: 'reason' }, door.reason),
    h('div', { class: 'actions' },
      h('button', { class: 'check', disabled: busy, onClick: () => run('check') }, 'Check'),
      h('button', { class: 'reconnect', disabled: busy, onClick: () => run('reconnect') }, 'Reconnect')),
    result && h('div', { class: 'result', role: 'status' },
      result.error ? h('p', { class: 'error' }, result.error)
        : result.what === 'reconnect' ? h('p', null, 'Asked to connect again.')
        : h('div', null,
          h('p', { class: result.ok ? 'ok' : 'error' }, result.ok ? 'Check passed' : 'Check failed'),
          h('ul', { class: 'steps' }, (result.steps || []).map((s, i) => h('li', { key: i, class: s.ok ? 'ok' : 'error' },
            (s.ok ? '✓ ' : '✗ ') + s.what + (s.detail ? ': ' + s.detail : '')))))));
}

function Table({ id, head, rows, empty }) {
  if (!rows) { return h('p', null, 'Loading…'); }
  if (!rows.length) { return h('p', { class: 'meta', id }, empty); }
  return h('table', { class: 'figures', id },
    h('thead', null, h('tr', null, head.map((x) => h('th', { key: x }, x)))),
    h('tbody', null, rows));
}

export function Admin({ api, me, version }) {
  const allowed = (me.roles || []).includes('admin');
  const [doors, setDoors] = useState(null);
  const [rules, setRules] = useState(null);
  const [consumers, setConsumers] = useState(null);
  const [integrations, setIntegrations] = useState(null);
  const [errors, setErrors] = useState([]);
  const [asked, setAsked] = useState(0);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!allowed) { return undefined; }
    let stale = false;
    Promise.all([api('GET', '/channels'), api('GET', '/rules'), api('GET', '/event-consumers'),
      api('GET', '/integrations')]).then(([d, r, c, i]) => {
      if (stale) { return; }
      setErrors([d, r, c, i].filter((x) => !x.ok).map((x) => (x.json && x.json.error) || 'HTTP ' + x.status));
      if (d.ok) { setDoors(d.json); }
      if (r.ok) { setRules(r.json.rules); }
      if (c.ok) { setConsumers(c.json.consumers); }
      if (i.ok) { setIntegrations(i.json.integrations); }
      setNow(Date.now());
    });
    return () => { stale = true; };
  }, [version, asked]);
  if (!allowed) { return h(Refused, { what: 'Administration' }); }
  const reload = () => setAsked((n) => n + 1);
  return h('section', { class: 'page', id: 'admin' },
    h('div', { class: 'title-row' }, h('h2', null, 'Administration'),
      h('button', { id: 'admin-refresh', onClick: reload }, 'Refresh')),
    errors.map((e, n) => h('p', { key: n, class: 'error', role: 'alert' }, e)),
    h('h3', null, 'Doors'),
    doors ? (doors.length ? h('ul', { class: 'doors', id: 'doors' },
      doors.map((d) => h(Door, { key: d.channel + ':' + d.instance, api, door: d, onChanged: reload })))
      : h('p', { class: 'meta' }, 'No door is installed.')) : h('p', null, 'Loading…'),
    h('h3', null, 'Routing rules'),
    h(Table, { id: 'rules', head: ['Rule', 'Ranking', 'Bundle'], empty: 'No routing rule is installed.',
      rows: rules && rules.map((r) => h('tr', { key: r.serviceId }, h('th', { scope: 'row' }, r.name),
        h('td', { class: 'n' }, r.ranking), h('td', null, r.bundle || '—'))) }),
    h('h3', null, 'Event consumers'),
    h(Table, { id: 'consumers', head: ['Consumer', 'Behind', 'Position', 'Node', 'Moved', 'Problem'],
      empty: 'No event consumer has started.',
      rows: consumers && consumers.map((c) => h('tr', { key: c.name, 'data-consumer': c.name },
        h('th', { scope: 'row' }, c.name + (c.department ? ' (' + c.department + ')' : '')),
        h('td', { class: 'n behind' + (c.behind > 0 ? ' warn' : '') }, c.behind),
        h('td', { class: 'n' }, c.position), h('td', null, c.node || 'none'),
        h('td', null, c.movedAt ? since(c.movedAt, now) + ' ago' : '—'),
        h('td', { class: c.lastError || c.missedTo ? 'error' : '' }, [c.lastError,
          c.missedTo ? 'missed events ' + c.missedFrom + ' to ' + c.missedTo : null].filter(Boolean).join('; ')))) }),
    h('h3', null, 'Integrations'),
    h(Table, { id: 'integrations', head: ['Integration', 'Department', 'Target', 'Behind', 'Delivered', 'Parked',
      'Last error'], empty: 'No department integration is installed.',
      rows: integrations && integrations.map((i) => h('tr', { key: i.name },
        h('th', { scope: 'row' }, i.name + ' (' + i.kind + ')'), h('td', null, i.department || 'all'),
        h('td', null, i.target || ''), h('td', { class: 'n' }, i.behind === null ? '—' : i.behind),
        h('td', { class: 'n' }, i.delivered), h('td', { class: 'n' + (i.parked ? ' bad' : '') }, i.parked),
        h('td', { class: i.lastError ? 'error' : '' }, i.lastError || ''))) }));
}
