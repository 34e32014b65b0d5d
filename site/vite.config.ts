// Builds the playground into one self-contained site/dist/index.html: the script and the style
// sheet are inlined, so the page works from file://, from any sub-path and offline, and a
// Content-Security-Policy with their hashes forbids every other load.
import { defineConfig } from "vite";
import { singleFile } from "./build/single-file.ts";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [singleFile()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: Number.POSITIVE_INFINITY,
    reportCompressedSize: false,
    rolldownOptions: {
      // A classic script: module scripts do not load from file://, and the same text is the
      // Trace tab's worker.
      output: { format: "iife", name: "vmexitPlayground" },
    },
  },
});
