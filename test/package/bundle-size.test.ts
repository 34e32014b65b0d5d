import { existsSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

// An app that imports one function from the built package must bundle no more than the same
// import from src/ (within 5 %): the shipped build may not pin modules the function does not reach.
// Each app is bundled the way an app's bundler would (esbuild, minified, ESM, platform neutral),
// resolving `vmexit/…` through package.json `exports` to dist/. `npm test` builds before it runs
// the tests; locally run `npx tsup` first.

const ROOT = join(import.meta.dirname, "..", "..");

/** The source of each public entry, for the same import bundled from src/. */
const SOURCE: Readonly<Record<string, string>> = {
  vmexit: "./src/index.ts",
  "vmexit/x86": "./src/x86/index.ts",
  "vmexit/aarch64": "./src/aarch64/index.ts",
  "vmexit/riscv": "./src/riscv/index.ts",
  "vmexit/trace": "./src/trace/index.ts",
};

/**
 * One import, and the folders (or top-level modules) of dist/ its bundle may draw on. An AArch64 decoder has no use for
 * x86 or RISC-V code, and `match` works on the architecture-neutral `VmExit` alone; the trace
 * reader decodes through the registry (dist/codecs.js) of every architecture, so it may reach all.
 */
const CASES: readonly (readonly [name: string, entry: string, folders: readonly string[]])[] = [
  ["decodeAarch64", "vmexit/aarch64", ["core", "aarch64"]],
  ["decodeVmx", "vmexit/x86", ["core", "x86"]],
  ["decodeRiscv", "vmexit/riscv", ["core", "riscv"]],
  ["parseTraceLine", "vmexit/trace", ["core", "codecs", "x86", "aarch64", "riscv", "trace"]],
  ["match", "vmexit", ["core"]],
  ["decodeAarch64", "vmexit", ["core", "aarch64"]],
  ["decodeVmx", "vmexit", ["core", "x86"]],
  ["decodeRiscv", "vmexit", ["core", "riscv"]],
  ["parseTraceLine", "vmexit", ["core", "codecs", "x86", "aarch64", "riscv", "trace"]],
];

interface Bundle {
  /** Minified size in bytes. */
  readonly bytes: number;
  /** The files of the package whose code is in it, relative to the package root. */
  readonly inputs: readonly string[];
}

/** Bundles an app whose only code is `export { name } from "specifier"`. */
async function bundle(name: string, specifier: string): Promise<Bundle> {
  const result = await build({
    stdin: {
      contents: `export { ${name} } from ${JSON.stringify(specifier)};`,
      resolveDir: ROOT,
      sourcefile: "app.js",
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const out = result.outputFiles[0];
  if (out === undefined) throw new Error(`esbuild wrote nothing for ${name} from ${specifier}`);
  const used = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const inputs = Object.keys(used).filter((p) => (used[p]?.bytesInOutput ?? 0) > 0);
  return { bytes: out.contents.length, inputs };
}

const sizes = new Map<string, { shipped: Bundle; source: Bundle }>();

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "index.js"))) {
    throw new Error("dist/ is missing: run `npx tsup` (npm test builds before it tests)");
  }
  for (const [name, entry] of CASES) {
    const shipped = await bundle(name, entry);
    const source = await bundle(name, SOURCE[entry] as string);
    sizes.set(`${name} from ${entry}`, { shipped, source });
  }
  if (process.env.VMEXIT_BUNDLE_REPORT) {
    for (const [k, { shipped, source }] of sizes) {
      console.log(`${k.padEnd(34)} dist ${shipped.bytes} B, src ${source.bytes} B`);
    }
  }
}, 120_000);

describe("an app importing one function from the built package", () => {
  it.each(CASES)("bundles %s from %s within 5 % of the same import from src/", (name, entry) => {
    const { shipped, source } = sizes.get(`${name} from ${entry}`) ?? expect.unreachable();
    expect(shipped.inputs.every((p) => p.startsWith("dist/"))).toBe(true);
    expect(shipped.bytes).toBeLessThanOrEqual(Math.ceil(source.bytes * 1.05));
  });

  it.each(CASES)("bundles %s from %s with no module it cannot reach", (name, entry, folders) => {
    const { shipped } = sizes.get(`${name} from ${entry}`) ?? expect.unreachable();
    const outside = shipped.inputs.filter((p) => {
      const folder = /^dist\/([^/]+?)(?:\.js)?(?:\/|$)/.exec(p)?.[1];
      return folder === undefined || !folders.includes(folder);
    });
    expect(outside).toEqual([]);
    expect(shipped.inputs.length).toBeGreaterThan(0);
  });
});
