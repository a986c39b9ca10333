// Registers the service worker that keeps the app shell and the engine for
// offline visits (the model files stay in the library's own cache).

export async function registerServiceWorker(status) {
  if (!("serviceWorker" in navigator)) {
    status.textContent = "This browser cannot work offline (no service workers).";
    return;
  }
  try {
    const reg = await navigator.serviceWorker.register("sw.js", { scope: "./" });
    await navigator.serviceWorker.ready;
    status.textContent = reg.active ? "Available offline." : "";
  } catch (err) {
    status.textContent = `Offline mode unavailable: ${err.message}`;
  }
}
