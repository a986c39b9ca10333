# Local run of the edge worker in bare workerd (no network, no wrangler). The model file is
# served by a read-only disk service, the local stand-in for static assets; vars come from the
# environment. From a directory holding app.wasm, wasm_exec.js, worker.mjs and this file:
#
#   MODEL_KEYS=all-MiniLM-L6-v2.int8.wbm MODEL_SHA256=$(sha256sum .../all-MiniLM-L6-v2.int8.wbm | cut -c1-64) \
#   workerd serve workerd.capnp --socket-addr=http=127.0.0.1:8787 --directory-path=weights=$PWD/dist/models
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edgeWorker),
    (name = "weights", disk = (path = "dist/models", writable = false)),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "main")],
);

const edgeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "app.wasm", wasm = embed "app.wasm"),
  ],
  bindings = [
    (name = "WEIGHTS", service = "weights"),
    (name = "MODEL_FETCHER", text = "WEIGHTS"),
    (name = "MODEL_KEYS", fromEnvironment = "MODEL_KEYS"),
    (name = "MODEL_SHA256", fromEnvironment = "MODEL_SHA256"),
    (name = "HEAD_KEY", fromEnvironment = "HEAD_KEY"),
    (name = "HEAD_SHA256", fromEnvironment = "HEAD_SHA256"),
    (name = "API_TOKEN", fromEnvironment = "API_TOKEN"),
    (name = "CORS_ORIGINS", fromEnvironment = "CORS_ORIGINS"),
  ],
  compatibilityDate = "2025-09-01",
);
