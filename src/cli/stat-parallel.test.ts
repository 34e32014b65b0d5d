// Reading a large file in shards on worker threads gives the report of one pass. The workers load
// the built trace entry (dist/trace.cjs): `npm test` builds before it runs the tests.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mixedTrace } from "../../bench/trace-workload";
import { statTrace } from "../trace/stat";
import { PARALLEL_MIN_BYTES, parallelism, parallelStat } from "./stat-parallel";

const dir = mkdtempSync(join(tmpdir(), "vmexit-par-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DIST_TRACE = join(import.meta.dirname, "..", "..", "dist", "trace.cjs");

describe("parallelStat", () => {
  it("gives one pass's report, wherever the shards are cut", async () => {
    const lines: string[] = [];
    mixedTrace(30_000, (l) => lines.push(l), 3);
    const file = join(dir, "t.trace");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const one = await statTrace([`${lines.join("\n")}\n`], { by: "mmio" });
    for (const workers of [2, 3, 7]) {
      expect(await parallelStat(file, workers, { by: "mmio" }, DIST_TRACE)).toEqual(one);
    }
  }, 60_000);

  it("is only used for regular files past PARALLEL_MIN_BYTES", async () => {
    const small = join(dir, "small.trace");
    writeFileSync(small, "kvm_exit: reason HLT\n");
    expect(await parallelism(small)).toBe(1);
    expect(await parallelism(dir)).toBe(1);
    expect(await parallelism(join(dir, "absent"))).toBe(1);
    expect(PARALLEL_MIN_BYTES).toBeGreaterThan(1 << 20);
  });
});
