// The inbox: the conversation list, its views and their counts, filtered and sorted by the server
// (GET /conversations?...&sort=urgency, GET /conversations/counts). Customer text is only ever a text child.
import { h } from 'preact';
import { useState, useEffect, useCallback } from 'preact/hooks';

const STATUSES = ['NEW', 'QUEUED', 'ASSIGNED', 'SNOOZED', 'RESOLVED'];
const SLA = { BREACHED: 'breached', AT_RISK: 'at risk', OK: 'ok' };
const NO_VIEW = { status: '', department: '', channel: '', priority: '', sla: '', tag: '', mine: false };
const PAGE = 100;

/** The query string of a view, as GET /conversations takes it. */
function query(view, offset) {
  const q = new URLSearchParams({ sort: 'urgency', limit: String(PAGE), offset: String(offset) });
  for (const key of ['status', 'department', 'channel', 'priority', 'sla', 'tag']) {
    if (view[key] !== '') { q.set(key, view[key]); }
  }
  if (view.mine) { q.set('mine', 'true'); }
  return q;
}

const n = (map, key) => (map && map[key]) || 0;

/** One shortcut of the view list: a button with its live count, pressed while it is the view shown. */
function Shortcut({ id, label, count, pressed, onClick }) {
  return h('button', { class: 'view' + (pressed ? ' on' : ''), id, 'aria-pressed': pressed ? 'true' : 'false',
    onClick }, label, ' ', h('span', { class: 'n', 'data-count': count }, String(count)));
}

/**
 * The list. {@code tick} changes when the event stream says something happened: the list and the counts are read
 * again (one reload for a burst), never on a timer.
 */
export function Inbox({ api, selected, tick, departments }) {
  const [view, setView] = useState(NO_VIEW);
  const [page, setPage] = useState({ items: [], total: 0, offset: 0 });
  const [offset, setOffset] = useState(0);
  const [counts, setCounts] = useState(null);
  const [tag, setTag] = useState('');
  const [error, setError] = useState(null);
  const load = useCallback(async () => {
    const [list, c] = await Promise.all([api('GET', '/conversations?' + query(view, offset)),
      api('GET', '/conversations/counts')]);
    if (list.ok) { setPage(list.json); setError(null); } else { setError(list.json && list.json.error || 'not loaded'); }
    if (c.ok) { setCounts(c.json); }
  }, [view, offset]);
  useEffect(() => { load(); }, [view, offset, tick]);
  const show = (change) => { setOffset(0); setView({ ...view, ...change }); };
  const only = (change) => { setOffset(0); setTag(''); setView({ ...NO_VIEW, ...change }); };
  const doors = counts ? Object.keys(counts.byChannel).sort() : [];
  const priorities = counts ? Object.keys(counts.byPriority).map(Number).sort((a, b) => b - a) : [];
  const isOnly = (key, value) => Object.keys(NO_VIEW).every((k) => k === key ? view[k] === value : view[k] === NO_VIEW[k]);
  return h('section', { class: 'list' },
    h('nav', { class: 'shortcuts', id: 'views', 'aria-label': 'Views' },
      h(Shortcut, { id: 'view-all', label: 'All', count: counts ? Object.values(counts.byStatus).reduce((a, b) => a + b, 0) : 0,
        pressed: isOnly('status', ''), onClick: () => only({}) }),
      h(Shortcut, { id: 'view-mine-count', label: 'Mine', count: counts ? counts.mine : 0,
        pressed: isOnly('mine', true), onClick: () => only({ mine: true }) }),
      h(Shortcut, { id: 'view-breached', label: 'Breached', count: n(counts && counts.bySla, 'BREACHED'),
        pressed: isOnly('sla', 'breached'), onClick: () => only({ sla: 'breached' }) }),
      h(Shortcut, { id: 'view-at-risk', label: 'At risk', count: n(counts && counts.bySla, 'AT_RISK'),
        pressed: isOnly('sla', 'at-risk'), onClick: () => only({ sla: 'at-risk' }) }),
      departments.map((d) => h(Shortcut, { key: 'd' + d, id: 'view-d-' + d, label: d,
        count: n(counts && counts.byDepartment, d), pressed: isOnly('department', d),
        onClick: () => only({ department: d }) }))),
    h('div', { class: 'views' },
      h('select', { id: 'view-status', 'aria-label': 'Status', value: view.status,
        onChange: (e) => show({ status: e.target.value }) },
        h('option', { value: '' }, 'All statuses'),
        STATUSES.map((s) => h('option', { value: s }, s.toLowerCase() + ' (' + n(counts && counts.byStatus, s) + ')'))),
      h('select', { id: 'view-department', 'aria-label': 'Department', value: view.department,
        onChange: (e) => show({ department: e.target.value }) },
        h('option', { value: '' }, 'All departments'),
        departments.map((d) => h('option', { value: d }, d + ' (' + n(counts && counts.byDepartment, d) + ')'))),
      h('select', { id: 'view-door', 'aria-label': 'Door', value: view.channel,
        onChange: (e) => show({ channel: e.target.value }) },
        h('option', { value: '' }, 'All doors'),
        doors.map((d) => h('option', { value: d }, d + ' (' + counts.byChannel[d] + ')'))),
      h('select', { id: 'view-priority', 'aria-label': 'Priority', value: view.priority,
        onChange: (e) => show({ priority: e.target.value }) },
        h('option', { value: '' }, 'Any priority'),
        priorities.map((p) => h('option', { value: String(p) }, 'priority ' + p + ' (' + counts.byPriority[p] + ')'))),
      h('select', { id: 'view-sla', 'aria-label': 'SLA', value: view.sla,
        onChange: (e) => show({ sla: e.target.value }) },
        h('option', { value: '' }, 'Any SLA state'),
        h('option', { value: 'breached' }, 'breached'), h('option', { value: 'at-risk' }, 'at risk'),
        h('option', { value: 'ok' }, 'ok')),
      h('form', { class: 'tag', onSubmit: (e) => { e.preventDefault(); show({ tag: tag.trim() }); } },
        h('input', { id: 'view-tag', 'aria-label': 'Tag', placeholder: 'tag, e.g. sentiment=negative', value: tag,
          onInput: (e) => setTag(e.target.value) })),
      h('label', null, h('input', { type: 'checkbox', id: 'view-mine', checked: view.mine,
        onChange: (e) => show({ mine: e.target.checked }) }), ' Mine')),
    error && h('p', { class: 'error', role: 'alert', id: 'view-error' }, error),
    h('p', { class: 'meta', id: 'count', 'data-total': page.total },
      page.total + ' conversation' + (page.total === 1 ? '' : 's') + ', most urgent first'),
    h('ul', { id: 'inbox' }, page.items.map((c) => h('li', {
      key: c.id, 'data-id': c.id, 'data-sla': c.sla,
      class: 'conv p' + c.priority + ' sla-' + c.sla.toLowerCase() + (c.id === selected ? ' selected' : '') },
      h('a', { href: '#/c/' + c.id },
        h('div', null, h('strong', { class: 'customer' }, c.customerName || 'Customer ' + c.customerId),
          c.sla !== 'OK' && h('span', { class: 'badge sla' }, SLA[c.sla])),
        h('div', { class: 'preview' }, c.preview || ''),
        h('div', { class: 'meta' }, [c.channel + ':' + c.instance, c.department || 'unrouted', c.status.toLowerCase(),
          c.priority ? 'priority ' + c.priority : null, c.assignee ? 'assigned to ' + c.assignee : null]
          .filter(Boolean).join(' · ')))))),
    page.total > PAGE && h('div', { class: 'pager' },
      h('button', { id: 'page-previous', disabled: offset === 0, onClick: () => setOffset(Math.max(0, offset - PAGE)) },
        'Previous'),
      h('span', { class: 'meta' }, (offset + 1) + '–' + Math.min(offset + PAGE, page.total) + ' of ' + page.total),
      h('button', { id: 'page-next', disabled: offset + PAGE >= page.total, onClick: () => setOffset(offset + PAGE) },
        'Next')));
}
