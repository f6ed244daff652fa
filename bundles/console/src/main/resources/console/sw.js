// The console's service worker. It keeps the app shell (the console's own files under /console/) for when the network
// is away, network first so a new version shows at once; it never touches the REST API (/api/), so no answer and no
// customer data is ever cached.
const CACHE = 'frontdoor-console-shell';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/console/')) {
    return;
  }
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});

// a click on "Assigned to you" opens that conversation in the console
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = '/console/#/c/' + event.notification.data.id;
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).pathname.startsWith('/console/'));
    return open ? open.navigate(target).then((w) => w && w.focus()) : self.clients.openWindow(target);
  }));
});
