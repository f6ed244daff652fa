// The console's pages and the navigation between them: Inbox for everyone, Dashboard for supervisors and admins,
// Admin for admins. A page the user's roles do not open is not linked, and its routes answer 403 anyway.
import { h } from 'preact';
import { useState, useEffect } from 'preact/hooks';

/** The pages a user may open, in the order of the navigation. */
export function pagesOf(me) {
  const roles = me.roles || [];
  const pages = [{ id: 'inbox', label: 'Inbox', href: '#/' }];
  if (roles.includes('supervisor') || roles.includes('admin')) {
    pages.push({ id: 'dashboard', label: 'Dashboard', href: '#/dashboard' });
  }
  if (roles.includes('admin')) {
    pages.push({ id: 'admin', label: 'Admin', href: '#/admin' });
  }
  return pages;
}

/** The page the location names: 'dashboard', 'admin' or 'inbox' (the inbox and its conversations). */
export function usePage() {
  const read = () => (/^#\/(dashboard|admin)\/?$/.exec(location.hash) || [null, 'inbox'])[1];
  const [page, setPage] = useState(read());
  useEffect(() => {
    const on = () => setPage(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return page;
}

export function Nav({ me, page }) {
  return h('nav', { class: 'pages', id: 'nav', 'aria-label': 'Pages' },
    pagesOf(me).map((p) => h('a', { key: p.id, href: p.href, id: 'nav-' + p.id,
      class: p.id === page ? 'current' : '', 'aria-current': p.id === page ? 'page' : undefined }, p.label)));
}

/** A page the user's roles do not open: said, not shown empty. */
export function Refused({ what }) {
  return h('section', { class: 'page', id: 'refused' }, h('p', null, what + ' is not open to your roles.'));
}

/** "3 min", "2 h 5 min", "1 d 4 h": how long ago an instant was, for waits. */
export function since(instant, now) {
  if (!instant) { return '—'; }
  const minutes = Math.max(0, Math.floor((now - Date.parse(instant)) / 60000));
  if (minutes < 60) { return minutes + ' min'; }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) { return hours + ' h ' + (minutes % 60) + ' min'; }
  return Math.floor(hours / 24) + ' d ' + (hours % 24) + ' h';
}
