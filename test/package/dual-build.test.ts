import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// `npm test` builds with tsup before vitest runs; locally run `npx tsup` first.
const DIST = join(import.meta.dirname, "..", "..", "dist");
const require = createRequire(import.meta.url);

type Lib = {
  VmExitError: new (code: "invalid-argument", message: string) => Error;
  port(v: unknown): unknown;
};

function rejection(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return expect.unreachable("the call did not throw");
}

describe("the ESM and CJS builds loaded in one process", () => {
  it("share one VmExitError: instanceof holds across builds and entries", async () => {
    const esm = (await import(pathToFileURL(join(DIST, "index.js")).href)) as Lib;
    const cjs = require(join(DIST, "index.cjs")) as Lib;
    // each CJS entry bundles its own copy of the class
    const cjsX86 = require(join(DIST, "x86.cjs")) as { decodeVmx(s: unknown): unknown };
    expect(esm.VmExitError).not.toBe(cjs.VmExitError); // two classes…
    const fromCjs = rejection(() => cjs.port(0x10000));
    const fromEsm = rejection(() => esm.port(0x10000));
    const fromX86 = rejection(() => cjsX86.decodeVmx(null));
    for (const e of [fromCjs, fromEsm, fromX86]) {
      // …one brand
      expect(e instanceof esm.VmExitError).toBe(true);
      expect(e instanceof cjs.VmExitError).toBe(true);
      expect(e instanceof Error).toBe(true);
    }
    expect(new cjs.VmExitError("invalid-argument", "m") instanceof esm.VmExitError).toBe(true);
  });

  it("refuses look-alikes and keeps subclasses exact", async () => {
    const esm = (await import(pathToFileURL(join(DIST, "index.js")).href)) as Lib;
    const cjs = require(join(DIST, "index.cjs")) as Lib;
    const lookAlike = Object.assign(new Error("m"), { name: "VmExitError", code: "out-of-range" });
    expect(lookAlike instanceof esm.VmExitError).toBe(false);
    expect((null as unknown as object) instanceof esm.VmExitError).toBe(false);
    expect({} instanceof cjs.VmExitError).toBe(false);
    class Sub extends esm.VmExitError {}
    expect(new Sub("invalid-argument", "m") instanceof cjs.VmExitError).toBe(true);
    expect(new cjs.VmExitError("invalid-argument", "m") instanceof Sub).toBe(false);
    // the brand is not an own property: errors print and serialise as before
    expect(Object.getOwnPropertySymbols(new esm.VmExitError("invalid-argument", "m"))).toEqual([]);
  });
});
