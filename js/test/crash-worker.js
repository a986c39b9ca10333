// A worker script for the pool test: behaves like js/worker.js, except that
// an embed call whose texts include "__crash__" kills the worker thread, as
// an out-of-memory or a fatal Go error would.
import { parentPort } from "node:worker_threads";

parentPort.on("message", (m) => {
  if (m.op === "embed" && m.args[0].includes("__crash__")) process.exit(70);
});
await import("../worker.js");
