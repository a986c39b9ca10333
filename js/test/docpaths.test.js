// Every repository path the docs name exists, so a file that moves or goes away
// fails here instead of leaving a stale reference behind (issue 15 item 8).
// A path is a backticked token or a Markdown link target that starts with one
// of the repository's top-level folders or is one of its top-level files.
// What git ignores (build outputs, test artifacts) is made, not committed, so the
// docs may name it before it exists; so are Go standard-library packages
// (`internal/poll`), which share a folder name with the repository's internal/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers.js";

const root = ROOT.pathname;
const DOCS = [
  "README.md",
  "js/README.md",
  ...readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const GOROOT = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
const TOP_FOLDERS = ["bench", "cmd", "docs", "examples", "internal", "js", "model", "site", "tools", "wasm"];
const TOP_FILES = ["build.sh", "package.json", "package-lock.json", "go.mod", "go.sum", "LICENSE", "README.md"];
// Placeholders and patterns, not paths: `model/<family>/`, `js/*.js`, `DIR/x`, `…`.
const NOT_A_PATH = /[<>*{}$…]|\.\.\.|\bDIR\b|\bNAME\b/;

function ignoredByGit(p) {
  try {
    execFileSync("git", ["check-ignore", "-q", "--no-index", p], { cwd: root });
    return true;
  } catch {
    return false; // exit status 1: not ignored
  }
}

/** exists tells whether p, named in a doc in folder base, is in the repository or may be. */
function exists(p, base) {
  return existsSync(path.join(root, p)) || existsSync(path.join(root, base, p)) ||
    ignoredByGit(p) || existsSync(path.join(GOROOT, "src", p));
}

/** pathsIn returns the candidate repository paths a Markdown text names. */
export function pathsIn(md) {
  const found = new Set();
  const candidates = [
    ...[...md.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]),
    ...[...md.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]),
  ];
  for (const raw of candidates) {
    // A command line names its files among other words: check each word.
    for (let word of raw.split(/\s+/)) {
      word = word.replace(/^["'(]+|["'),;:.]+$/g, "").replace(/:\d+$/, "");
      if (!word || NOT_A_PATH.test(word) || word.includes("://")) continue;
      word = word.replace(/^\.\//, "");
      const top = word.split("/")[0];
      if (word.includes("/") ? TOP_FOLDERS.includes(top) : TOP_FILES.includes(word)) found.add(word);
    }
  }
  return [...found];
}

test("pathsIn finds backticked and linked paths and skips patterns", () => {
  const md = "See `js/index.js`, [design](docs/design.md#engine), `node bench/run.js --write`,\n" +
    "`model/<family>/`, `js/*.js`, `dist/models/x.wbm`, `https://example.com/js/a` and `maxLength`.";
  assert.deepEqual(pathsIn(md).sort(), ["bench/run.js", "docs/design.md", "js/index.js"]);
});

for (const doc of DOCS) {
  test(`every repository path named in ${doc} exists`, () => {
    const text = readFileSync(path.join(root, doc), "utf8");
    // Links in docs/ are relative to docs/; backticked paths are from the root.
    const base = path.dirname(doc);
    const missing = pathsIn(text).filter((p) => !exists(p, base));
    assert.deepEqual(missing, [], `${doc} names paths that do not exist`);
  });
}
