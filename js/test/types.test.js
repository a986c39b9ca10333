// The published declarations type-check: js/test/types-check.ts uses the
// public API through the package name (so through package.json "exports" to
// js/index.d.ts) under `tsc --strict` with library checking on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ROOT } from "./helpers.js";

test("index.d.ts and a strict TypeScript consumer of it compile", async () => {
  const tsc = new URL("node_modules/.bin/tsc", ROOT).pathname;
  try {
    await promisify(execFile)(tsc, ["-p", "js/test/tsconfig.json"], { cwd: ROOT.pathname });
  } catch (err) {
    assert.fail(`tsc -p js/test/tsconfig.json failed:\n${err.stdout}${err.stderr}`);
  }
});
