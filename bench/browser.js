// browser.js measures one configuration in headless Chromium (the system's
// /usr/bin/chromium through playwright-core; nothing is downloaded). Each
// configuration gets a fresh user-data-dir: the first page load is the uncached
// cold start and the full measure, a second page in the same profile (HTTP cache
// and Cache API warm) is the cached cold start.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  // measureUserAgentSpecificMemory answers at the next GC unless told to be precise.
  '--enable-blink-features=ForceEagerMeasureMemory',
];

/** measureBrowser runs cfg in a fresh profile against the server at baseURL. */
export async function measureBrowser(baseURL, cfg, timeoutMs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wasmbert-bench-'));
  let peak = null;
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const full = await page(ctx, baseURL, { ...cfg, mode: 'full' }, timeoutMs, () => (peak = rendererPeakRSS(dir)));
    if (full.error) return full;
    // measureUserAgentSpecificMemory leaves out the wasm memory of workers, so the
    // peak is the renderer's high-water RSS, which has the page and its workers.
    full.ua_memory_bytes = full.peak_memory_bytes;
    full.peak_memory_bytes = peak;
    full.peak_memory_kind = 'VmHWM of the renderer process (page + workers)';
    const cached = await page(ctx, baseURL, { ...cfg, mode: 'cold' }, timeoutMs);
    return {
      ...full,
      cold_start_uncached_ms: full.cold_start_ms,
      cold_start_cached_ms: cached.error ? null : cached.cold_start_ms,
      chromium: ctx.browser()?.version() ?? null,
    };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function page(ctx, baseURL, cfg, timeoutMs, beforeClose) {
  return runPage(ctx, `${baseURL}/bench/page.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`, '__bench', timeoutMs, { beforeClose });
}

// runPage opens url in a new page of ctx, waits for window[result] and returns
// it; an error (the page's or a timeout) comes back as {error} with the last
// console lines. onConsole sees each console line as it arrives.
export async function runPage(ctx, url, result, timeoutMs, { beforeClose, onConsole } = {}) {
  const p = await ctx.newPage();
  const logs = [];
  p.on('console', (m) => {
    logs.push(m.text());
    onConsole?.(m.text());
  });
  p.on('pageerror', (e) => logs.push(String(e)));
  try {
    await p.goto(url);
    await p.waitForFunction((key) => window[key] !== undefined, result, { timeout: timeoutMs, polling: 250 });
    const out = await p.evaluate((key) => window[key], result);
    beforeClose?.();
    if (out.error) out.error += '\n' + logs.slice(-5).join('\n');
    return out;
  } catch (err) {
    return { error: `${err.message}\n${logs.slice(-5).join('\n')}` };
  } finally {
    await p.close();
  }
}

// rendererPeakRSS finds the browser started with profile dir, and returns the
// largest VmHWM among its renderer processes (Linux /proc), or null.
function rendererPeakRSS(dir) {
  try {
    const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((pid) => {
      try {
        // Chromium's children rewrite argv into one space-separated string.
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1];
        return { pid, ppid, cmd };
      } catch {
        return null;
      }
    }).filter(Boolean);
    const root = procs.find((p) => p.cmd.includes(`--user-data-dir=${dir} `) && !p.cmd.includes('--type='));
    if (!root) return null;
    const tree = new Set([root.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of procs) if (tree.has(p.ppid) && !tree.has(p.pid)) (tree.add(p.pid), (grew = true));
    }
    let max = null;
    for (const p of procs) {
      if (!tree.has(p.pid) || !p.cmd.includes('--type=renderer ')) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      if (m) max = Math.max(max ?? 0, Number(m[1]) * 1024);
    }
    return max;
  } catch {
    return null;
  }
}
