// Error helpers shared by the loader, the engine bridge and the pool.

/** An AbortError as fetch() raises it, carrying the signal's reason as cause. */
export function abortError(signal) {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const err = new DOMException("wasmbert: load aborted", "AbortError");
  if (reason !== undefined) Object.defineProperty(err, "cause", { value: reason });
  return err;
}

export function throwIfAborted(signal) {
  if (signal?.aborted) throw abortError(signal);
}

/** Rebuilds an Error sent across postMessage as {name, message}. */
export function reviveError(e) {
  if (e && e.name === "AbortError") return new DOMException(e.message, "AbortError");
  const Ctor = e && e.name === "TypeError" ? TypeError : e && e.name === "RangeError" ? RangeError : Error;
  return new Ctor(e ? e.message : "wasmbert: unknown error");
}

/** Flattens an error so it survives postMessage in every runtime. */
export function serializeError(err) {
  return { name: err?.name ?? "Error", message: err?.message ?? String(err) };
}
