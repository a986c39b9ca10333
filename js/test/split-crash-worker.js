// A worker script for the split tests: behaves like js/worker.js, except
// that part 1 of a split text containing "__crash__" kills the worker thread
// as the call starts, while part 0 computes and then waits for it at the
// first barrier.
import { parentPort } from "node:worker_threads";
import "../worker.js";

parentPort.on("message", (m) => {
  if (m.op === "embedPart" && m.args[0].includes("__crash__") && m.args[2].index === 1) process.exit(70);
});
