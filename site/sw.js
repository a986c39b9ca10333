// The service worker: precaches the app shell (pages, scripts, engine, data)
// under a cache named after the build, so repeat visits work offline, and
// drops the caches of older builds. Model files (.wbm) are not stored here:
// the library keeps verified copies in its own cache and reads them from
// there before it would ever fetch, so storing them here would hold them twice.
//
// build.mjs replaces the next line with the build's version and file list.
const BUILD = { version: "dev", shell: [] };

const PREFIX = "wasmbert-site-shell-";
const SHELL_CACHE = PREFIX + BUILD.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // cache: "reload" so the precache never copies a stale HTTP-cache entry.
      await cache.addAll(BUILD.shell.map((u) => new Request(u, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.endsWith(".wbm")) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      const hit = await cache.match(req, { ignoreSearch: true });
      return hit ?? fetch(req);
    })(),
  );
});
