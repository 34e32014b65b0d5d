import { defineConfig } from "tsup";

export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      x86: "src/x86/index.ts",
      aarch64: "src/aarch64/index.ts",
      riscv: "src/riscv/index.ts",
      trace: "src/trace/index.ts",
      arbitraries: "src/arbitraries/index.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
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
