// browser.js measures one configuration in headless Chromium (the system's
// /usr/bin/chromium through playwright-core; nothing is downloaded). Each
// configuration gets a fresh user-data-dir: the first page load is the uncached
// cold start and the full measure, a second page in the same profile (HTTP cache
// and Cache API warm) is the cached cold start.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
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
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const full = await page(ctx, baseURL, { ...cfg, mode: 'full' }, timeoutMs);
    if (full.error) return full;
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

async function page(ctx, baseURL, cfg, timeoutMs) {
  const p = await ctx.newPage();
  const logs = [];
  p.on('console', (m) => logs.push(m.text()));
  p.on('pageerror', (e) => logs.push(String(e)));
  try {
    await p.goto(`${baseURL}/js/bench/page.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`);
    await p.waitForFunction(() => window.__bench !== undefined, null, { timeout: timeoutMs, polling: 250 });
    const out = await p.evaluate(() => window.__bench);
    if (out.error) out.error += '\n' + logs.slice(-5).join('\n');
    return out;
  } catch (err) {
    return { error: `${err.message}\n${logs.slice(-5).join('\n')}` };
  } finally {
    await p.close();
  }
}
