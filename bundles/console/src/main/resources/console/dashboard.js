// The supervisor's dashboard: each department's queue, the agents' load and presence, and the messages each door
// brought in per hour (a uPlot chart). Figures come from the REST API, counted by the database within the user's
// departments; the page reloads them when the event stream says something changed (the `version` it is given).
import { h } from 'preact';
import { useState, useEffect, useRef } from 'preact/hooks';
import { Refused, since } from './nav.js';

const COLORS = ['#1f6feb', '#cf222e', '#1a7f37', '#8250df', '#d29922', '#0550ae', '#bf3989', '#57606a'];
/** The door counts are the heaviest query of the page: asked again on events at most this often. */
const VOLUMES_EVERY_MS = 30000;

let uPlotLoading = null;
/**
 * uPlot from its webjar: its minified classic script (it defines the global uPlot) and its stylesheet, fetched the
 * first time a dashboard is shown, never by an agent's inbox. Both come from this origin (CSP 'self'); uPlot styles
 * its elements through the CSSOM (element.style), which the policy's style-src does not restrict. Their URLs carry
 * uPlot's version (so browsers may keep them for good): the page's import map names the folder ("uplot/").
 */
function loadUPlot() {
  if (!uPlotLoading) {
    uPlotLoading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = import.meta.resolve('uplot/uPlot.min.css');
      document.head.appendChild(css);
      const script = document.createElement('script');
      script.src = import.meta.resolve('uplot/uPlot.iife.min.js');
      script.onload = () => resolve(window.uPlot);
      script.onerror = () => { uPlotLoading = null; reject(new Error('the chart library did not load')); };
      document.head.appendChild(script);
    });
  }
  return uPlotLoading;
}

/** Messages per door and hour as a line per door; the table beside it has the same figures as text. */
function VolumeChart({ volumes }) {
  const box = useRef(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    let plot = null;
    let gone = false;
    const width = () => Math.max(280, box.current.clientWidth);
    const resize = () => { if (plot) { plot.setSize({ width: width(), height: 220 }); } };
    loadUPlot().then((UPlot) => {
      if (gone) { return; }
      const start = Date.parse(volumes.since) / 1000;
      const xs = Array.from({ length: volumes.hours }, (_, i) => start + i * 3600);
      const series = [{}].concat(volumes.doors.map((d, i) => ({
        label: d.channel + ':' + d.instance, stroke: COLORS[i % COLORS.length], width: 2 })));
      plot = new UPlot({ width: width(), height: 220, series, scales: { x: { time: true } },
        axes: [{}, { label: 'messages per hour' }] },
      [xs].concat(volumes.doors.map((d) => d.counts)), box.current);
      box.current.dataset.ready = 'yes';
      window.addEventListener('resize', resize);
    }, (e) => { if (!gone) { setFailed(e.message); } });
    return () => {
      gone = true;
      window.removeEventListener('resize', resize);
      if (plot) { plot.destroy(); }
    };
  }, [volumes]);
  return h('div', null,
    h('div', { class: 'chart', id: 'volume-chart', ref: box }),
    failed && h('p', { class: 'error', role: 'alert' }, failed));
}

function Queues({ rows, now }) {
  const total = (k) => rows.reduce((n, r) => n + r[k], 0);
  const cells = (r) => ['new', 'queued', 'assigned', 'snoozed'].map((k) => h('td', { class: 'n ' + k }, r[k]));
  return h('table', { class: 'figures', id: 'queues' },
    h('thead', null, h('tr', null, h('th', null, 'Department'), h('th', null, 'New'), h('th', null, 'Queued'),
      h('th', null, 'Assigned'), h('th', null, 'Snoozed'), h('th', null, 'Longest wait'),
      h('th', null, 'SLA at risk'), h('th', null, 'SLA breached'))),
    h('tbody', null, rows.map((r) => h('tr', { key: r.department || '', 'data-department': r.department || '' },
      h('th', { scope: 'row' }, r.department || 'not routed yet'),
      cells(r),
      h('td', { class: 'wait' }, since(r.oldestWaiting, now)),
      h('td', { class: 'n at-risk' + (r.slaAtRisk ? ' warn' : '') }, r.slaAtRisk),
      h('td', { class: 'n breached' + (r.slaBreached ? ' bad' : '') }, r.slaBreached)))),
    rows.length > 1 && h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, 'All'),
      cells({ new: total('new'), queued: total('queued'), assigned: total('assigned'), snoozed: total('snoozed') }),
      h('td', null, ''), h('td', { class: 'n' }, total('slaAtRisk')), h('td', { class: 'n' }, total('slaBreached')))));
}

function Agents({ agents }) {
  if (!agents.length) { return h('p', { class: 'meta' }, 'No agents in these departments.'); }
  return h('table', { class: 'figures', id: 'agents' },
    h('thead', null, h('tr', null, h('th', null, 'Agent'), h('th', null, 'Presence'), h('th', null, 'Load'),
      h('th', null, 'Departments'))),
    h('tbody', null, agents.map((a) => h('tr', { key: a.name, 'data-agent': a.name },
      h('th', { scope: 'row' }, a.displayName),
      h('td', null, h('span', { class: 'presence ' + a.presence }, a.presence)),
      h('td', { class: 'load' }, h('meter', { min: 0, max: a.capacity, high: a.capacity, value: a.open,
        'aria-label': a.displayName + "'s load" }), ' ' + a.open + ' / ' + a.capacity),
      h('td', null, a.departments.join(', '))))));
}

export function Dashboard({ api, me, version }) {
  const roles = me.roles || [];
  const allowed = roles.includes('supervisor') || roles.includes('admin');
  const [queues, setQueues] = useState(null);
  const [agents, setAgents] = useState([]);
  const [volumes, setVolumes] = useState(null);
  const [hours, setHours] = useState(24);
  const [error, setError] = useState(null);
  const [now, setNow] = useState(Date.now());
  const volumesAt = useRef({ at: 0, hours: 0 });
  useEffect(() => {
    // the waits grow by themselves: the clock, not the server, moves them between events
    const t = setInterval(() => setNow(Date.now()), 30000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (!allowed) { return undefined; }
    let stale = false;
    const fresh = Date.now() - volumesAt.current.at < VOLUMES_EVERY_MS && volumesAt.current.hours === hours;
    Promise.all([api('GET', '/dashboard/queues'), api('GET', '/agents'),
      fresh ? null : api('GET', '/dashboard/volumes?hours=' + hours)]).then(([q, a, v]) => {
      if (stale) { return; }
      const failed = [q, a, v].find((r) => r && !r.ok);
      setError(failed ? (failed.json && failed.json.error) || 'the dashboard could not be read' : null);
      if (q.ok) {
        setQueues(q.json.departments);
        setNow(Date.now());
        if (a.ok) {
          // a supervisor sees the agents of their departments; an admin sees every agent
          const mine = new Set(q.json.departments.map((d) => d.department));
          setAgents(a.json.agents.filter((x) => roles.includes('admin') || x.departments.some((d) => mine.has(d))));
        }
      }
      if (v && v.ok) { volumesAt.current = { at: Date.now(), hours }; setVolumes(v.json); }
    });
    return () => { stale = true; };
  }, [version, hours]);
  if (!allowed) { return h(Refused, { what: 'The dashboard' }); }
  return h('section', { class: 'page', id: 'dashboard' },
    h('h2', null, 'Dashboard'),
    error && h('p', { class: 'error', role: 'alert' }, error),
    h('h3', null, 'Queues'),
    queues ? (queues.length ? h(Queues, { rows: queues, now }) : h('p', { class: 'meta' }, 'No open conversations.'))
      : h('p', null, 'Loading…'),
    h('h3', null, 'Agents'),
    h(Agents, { agents }),
    h('div', { class: 'title-row' },
      h('h3', null, 'Messages per door'),
      h('select', { id: 'volume-hours', 'aria-label': 'Period', value: String(hours),
        onChange: (e) => setHours(Number(e.target.value)) },
        h('option', { value: '24' }, 'last 24 hours'), h('option', { value: '168' }, 'last 7 days'))),
    volumes ? (volumes.doors.length ? h('div', null,
      h(VolumeChart, { volumes }),
      h('table', { class: 'figures', id: 'volumes' },
        h('thead', null, h('tr', null, h('th', null, 'Door'), h('th', null, 'This hour'), h('th', null, 'Period'))),
        h('tbody', null, volumes.doors.map((d) => h('tr', { key: d.channel + ':' + d.instance,
          'data-door': d.channel + ':' + d.instance },
          h('th', { scope: 'row' }, d.channel + ':' + d.instance),
          h('td', { class: 'n hour' }, d.counts[d.counts.length - 1]),
          h('td', { class: 'n total' }, d.total))))))
      : h('p', { class: 'meta' }, 'No customer messages in this period.')) : h('p', null, 'Loading…'));
}
