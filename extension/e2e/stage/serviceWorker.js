// Test double of NextChat v2.16's service worker: it answers only /api/cache/* (NextChat keeps uploads
// there); every other request goes to the network as if there were no worker.
self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname.startsWith('/api/cache/')) {
    event.respondWith(new Response('not found', { status: 404 }));
  }
});
