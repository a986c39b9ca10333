// server.js serves the repository root to the benchmark page with the headers
// that make it cross-origin isolated (COOP/COEP), which Chromium requires before
// it gives wasm threads a SharedArrayBuffer. Files are cacheable so that a
// reload measures the cached cold start.
import http from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/json',
  '.wasm': 'application/wasm',
};

/** serve starts a server for root on 127.0.0.1 and resolves to {url, close()}. */
export async function serve(root) {
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const file = path.join(root, decodeURIComponent(u.pathname));
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      const st = await fs.stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'max-age=3600',
        'Last-Modified': st.mtime.toUTCString(),
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
