// The installable app (manifest, a service worker caching the app shell only) and notifications of new assignments
// to the user, asked for by a click, never on load.
import { h } from 'preact';
import { useState } from 'preact/hooks';

/** Registers the service worker (sw.js), where the browser has them: the console then opens as an app. */
export function installApp() {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/console/sw.js', { scope: '/console/' }).catch(() => {});
  }
}

const supported = () => 'Notification' in window;

/** "Notify me": asks for the browser's permission on a click; says so once it is given, or that it was refused. */
export function NotifyButton() {
  const [permission, setPermission] = useState(supported() ? Notification.permission : 'unsupported');
  if (permission === 'unsupported') { return null; }
  if (permission === 'granted') { return h('span', { class: 'notify', id: 'notify-on' }, 'notifications on'); }
  if (permission === 'denied') { return h('span', { class: 'notify', id: 'notify-off' }, 'notifications blocked'); }
  return h('button', { id: 'notify', title: 'Tell me when a conversation is assigned to me',
    onClick: () => Notification.requestPermission().then(setPermission) }, 'Notify me');
}

/** Shows a notification when an event assigns a conversation to the user (by someone else or by routing). */
export function notifyAssigned(event, user) {
  if (!supported() || Notification.permission !== 'granted' || event.type !== 'assigned' || event.actor === user) {
    return;
  }
  const to = /^to (\S+)/.exec(event.detail || '');
  if (!to || to[1] !== user) { return; }
  const title = 'Assigned to you';
  const options = { body: (event.customerName || 'A conversation') + (event.department ? ' · ' + event.department : ''),
    tag: 'assigned-' + event.conversationId, icon: '/console/icon-192.png', data: { id: event.conversationId } };
  window.frontdoorNotified = (window.frontdoorNotified || 0) + 1;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.getRegistration('/console/').then((registration) => {
      if (registration) { registration.showNotification(title, options); } else { page(title, options); }
    });
  } else {
    page(title, options);
  }
}

function page(title, options) {
  const shown = new Notification(title, options);
  shown.onclick = () => { window.focus(); location.hash = '#/c/' + options.data.id; shown.close(); };
}
