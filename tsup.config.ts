// The ESM build is one file per source module, not bundles with shared chunks: a chunk holds many
// modules, so an app's bundler must keep a whole chunk's top-level code once it uses one export of
// it, while separate modules let `"sideEffects": false` drop every module the app does not reach,
// exactly as when it bundles `src/`. The public entries sit at the top of dist/ (dist/x86.js for
// `vmexit/x86`) and every other module at its path under src/ (dist/x86/vmx/decode.js). The CJS
// build (Node's `require`, where nothing is shaken) is one bundle per entry, which loads fastest;
// the command line is one bundle too. See docs/architecture.md, "The package".
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { buildSync, type Plugin } from "esbuild";
import { defineConfig } from "tsup";

/** The public entries: output name → source (the `exports` of package.json). */
const ENTRIES: Readonly<Record<string, string>> = {
  index: "src/index.ts",
  x86: "src/x86/index.ts",
  aarch64: "src/aarch64/index.ts",
  riscv: "src/riscv/index.ts",
  trace: "src/trace/index.ts",
  arbitraries: "src/arbitraries/index.ts",
};

/** Output name (without extension) → source, for every module the public entries reach. */
function modules(): Record<string, string> {
  const { metafile } = buildSync({
    entryPoints: Object.values(ENTRIES),
    bundle: true,
    write: false,
    metafile: true,
    outdir: "dist",
    format: "esm",
    platform: "neutral",
    external: ["fast-check"],
    logLevel: "silent",
  });
  const out: Record<string, string> = { ...ENTRIES };
  const entrySources = new Set(Object.values(ENTRIES));
  for (const source of Object.keys(metafile.inputs)) {
    if (source.startsWith("src/") && !entrySources.has(source)) {
      out[source.slice("src/".length, -".ts".length)] = source;
    }
  }
  return out;
}

const MODULES = modules();
const OUTPUT_OF = new Map(Object.entries(MODULES).map(([name, source]) => [resolve(source), name]));

/**
 * ESM: keeps every relative import an import of the other module's output file. CJS: builds the
 * public entries only, each a bundle.
 */
const keepModules: Plugin = {
  name: "keep-modules",
  setup(build) {
    if (build.initialOptions.format === "cjs") {
      build.initialOptions.entryPoints = { ...ENTRIES };
      return;
    }
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const base = resolve(args.resolveDir, args.path);
      const source = [`${base}.ts`, join(base, "index.ts")].find((p) => existsSync(p));
      const target = source === undefined ? undefined : OUTPUT_OF.get(source);
      const from = OUTPUT_OF.get(args.importer);
      if (target === undefined || from === undefined) {
        return { errors: [{ text: `${args.path} from ${args.importer} is not a library module` }] };
      }
      const path = relative(dirname(from), target).replaceAll("\\", "/");
      return { path: `${path.startsWith(".") ? "" : "./"}${path}.js`, external: true };
    });
  },
};

export default defineConfig([
  {
    entry: MODULES,
    format: ["esm", "cjs"],
    esbuildPlugins: [keepModules],
    dts: { entry: ENTRIES },
    clean: true,
    target: "es2022",
    external: ["fast-check"],
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
