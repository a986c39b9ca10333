// A worker script for the pool test: behaves like js/worker.js, except that
// an embed call whose texts include "__crash__" kills the worker thread, as
// an out-of-memory or a fatal Go error would. worker.js is imported first so
// that its listener is attached before messages start flowing.
import { parentPort } from "node:worker_threads";
import "../worker.js";

parentPort.on("message", (m) => {
  if (m.op === "embed" && m.args[0].includes("__crash__")) process.exit(70);
});
