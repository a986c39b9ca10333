// What the current JavaScript runtime offers. Node is detected by its
// process.versions.node; everything else is treated as a web runtime
// (browser window, Web Worker, service worker, workerd).

export const isNode =
  typeof process !== "undefined" && typeof process.versions?.node === "string" && typeof window === "undefined";

/** Number of CPUs the runtime reports, or 1 when it does not say. */
export async function hardwareConcurrency() {
  if (typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0) return navigator.hardwareConcurrency;
  if (isNode) {
    const os = await import("node:os");
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return 1;
}

/** Whether this runtime can start workers (Web Workers or worker_threads). */
export function canSpawnWorkers() {
  return isNode || typeof Worker === "function";
}
