// Builds the playground once before its tests, exactly as `npm run site:build` does.
import { resolve } from "node:path";
import { build } from "vite";

export default async function setup(): Promise<void> {
  await build({ configFile: resolve(import.meta.dirname, "../vite.config.ts"), logLevel: "warn" });
}
