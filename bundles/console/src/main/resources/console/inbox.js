// The inbox: the conversation list and its views. Customer text is only ever a text child of an element.
import { h } from 'preact';

const RANK = { NEW: 0, QUEUED: 1, ASSIGNED: 2, SNOOZED: 3, RESOLVED: 4 };
/** Most urgent first: higher priority, then open before assigned, then the longest waiting. */
function byUrgency(a, b) {
  return (b.priority - a.priority) || (RANK[a.status] - RANK[b.status])
    || String(a.lastActivityAt).localeCompare(String(b.lastActivityAt));
}

export function Inbox({ user, selected, items, view, setView, departments }) {
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

