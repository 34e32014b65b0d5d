// What a hostile trace cannot do: make a line cost more than linear time, make the statistics
// keep unbounded state, or hide behind odd line ends and lengths.
import { describe, expect, it } from "vitest";
import { VmExitError } from "../core/error";
import { formatTraceStat } from "./format-stat";
import { parseTraceLine } from "./line";
import { OTHER_ROW, statTrace, TraceStat } from "./stat";
import { MAX_TRACE_LINE, traceLines } from "./stream";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The best of five timings of `run`, in milliseconds. */
function best(run: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

function parseQuietly(line: string): void {
  try {
    parseTraceLine(line);
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
  }
}

describe("parsing is linear in the line length", () => {
  // A quadratic parser takes ~100× as long on a 10× longer line; a linear one ~10× (allowing
  // 30× for timer noise and warm-up on a loaded machine).
  const shapes: readonly [string, (n: number) => string][] = [
    ["blanks", (n) => " ".repeat(n)],
    ["a<blanks>b 1.5: kvm_exit: reason HLT", (n) => `a${" ".repeat(n)}b 1.5: kvm_exit: reason HLT`],
    [
      "kvm_exit: SEPC:0x0, SCAUSE:0x1 AAAA…",
      (n) => `kvm_exit: SEPC:0x0, SCAUSE:0x1 ${"A".repeat(n)}`,
    ],
    ["[1] [1] [1]…", (n) => "[1] ".repeat(n / 4)],
    ["1: 1: 1:…", (n) => "1: ".repeat(n / 3)],
    ["-1 -1 -1… [0] 1.0: kvm_exit:", (n) => `${"-1 ".repeat(n / 3)}[0] 1.0: kvm_exit: reason HLT`],
    ["kvm_exit: reason HLT HLT HLT…", (n) => `kvm_exit: reason ${"HLT ".repeat(n / 4)}`],
    [
      "kvm_mmio: mmio write len 4 gpa 0x…",
      (n) => `kvm_mmio: mmio write len 4 gpa 0x${"0".repeat(n)}1 val 0x1`,
    ],
  ];
  it.each(shapes)("%s", (_name, make) => {
    const short = make(50_000);
    const long = make(500_000);
    parseQuietly(short);
    parseQuietly(long);
    const a = best(() => parseQuietly(short));
    const b = best(() => parseQuietly(long));
    expect(b / Math.max(a, 0.05)).toBeLessThan(30);
  });

  it("and so is vmexit stat on it", () => {
    const run = (n: number) => () => {
      const s = new TraceStat();
      s.addLine(`a${" ".repeat(n)}b 1.5: kvm_exit: reason HLT`);
      s.addLine(`kvm_exit: SEPC:0x0, SCAUSE:0x1 ${"A".repeat(n)}`);
      s.report();
    };
    run(1000)();
    const a = best(run(50_000));
    const b = best(run(500_000));
    expect(b / Math.max(a, 0.05)).toBeLessThan(30);
  });
});

describe("vmexit stat keeps bounded state", () => {
  it("folds groups past maxGroups into one counted (other) row, and says so", () => {
    const s = new TraceStat({ maxGroups: 100 });
    // 5000 distinct SVM-like reason names (lower case)
    for (let i = 0; i < 5000; i++) s.addLine(`kvm_exit: reason r${i} rip 0x1`);
    const r = s.report();
    expect(r.reasons).toHaveLength(101);
    expect(r.reasons[100]).toMatchObject({ name: OTHER_ROW, count: 4900 });
    expect(r.folded).toBe(4900);
    expect(r.total).toBe(5000);
    expect(formatTraceStat(r)).toContain(
      "4900 exits of groups past the first 100 counted in (other)",
    );
  });

  it("200,000 distinct names under the default cap: no call takes them all as arguments", {
    timeout: 60_000,
  }, () => {
    const s = new TraceStat();
    for (let i = 0; i < 200_000; i++) s.addLine(`kvm_exit: reason n${i} rip 0x1`);
    const r = s.report();
    expect(r.reasons).toHaveLength(4097);
    expect(formatTraceStat(r).split("\n").length).toBeGreaterThan(4097);
  });

  it("forgets the first vCPUs past maxVcpus, closing their open exits untimed", () => {
    const s = new TraceStat({ maxVcpus: 100 });
    // 1000 threads each open an exit and never re-enter
    for (let pid = 0; pid < 1000; pid++)
      s.addLine(`t-${pid} [000] .... 1.0: kvm_exit: reason HLT rip 0x1 info 0 0`);
    const r = s.report();
    expect(r.evicted).toBe(900);
    expect(r.total).toBe(1000);
    expect(formatTraceStat(r)).toContain(
      "900 exits closed untimed: too many vCPUs had an open exit at once",
    );
  });

  it("rejects bad options with a VmExitError naming them", () => {
    expect(() => new TraceStat({ by: "nope" as "reason" })).toThrow(
      /by must be one of reason, kind/,
    );
    expect(() => new TraceStat({ maxGroups: 0 })).toThrow(/maxGroups/);
    expect(() => new TraceStat({ vcpu: -1 })).toThrow(/vcpu/);
    expect(() => new TraceStat({ options: { sparc: {} } as never })).toThrow(
      /no architecture "sparc"/,
    );
    expect(
      () => new TraceStat({ options: { "x86-vmx": { hypercallAbi: "xen" } } as never }),
    ).toThrow(VmExitError);
    expect(() => new TraceStat(5 as never)).toThrow(VmExitError);
  });
});

describe("line ends and the line-length limit", () => {
  it("a lone CR ends a line; CRLF is one line end, also across chunks", async () => {
    expect(await collect(traceLines(["a\rb\rc"]))).toEqual(["a", "b", "c"]);
    expect(await collect(traceLines(["a\r", "\nb\r\n", "c\r", "d"]))).toEqual(["a", "b", "c", "d"]);
    const r = await statTrace([
      "kvm_exit: reason HLT\rkvm_exit: reason HLT\rkvm_exit: reason CPUID",
    ]);
    expect(r).toMatchObject({ lines: 3, exits: 3, skipped: 0 });
  });

  it("a line of exactly MAX_TRACE_LINE bytes is read; one more byte is not", async () => {
    const max = "x".repeat(MAX_TRACE_LINE);
    expect(await collect(traceLines([`${max}\nnext\n`]))).toEqual([max, "next"]);
    expect(await collect(traceLines([max.slice(0, 1000), `${max.slice(1000)}\n`]))).toEqual([max]);
    await expect(collect(traceLines([`${max}y\n`]))).rejects.toThrow(/longer than 1048576 bytes/);
    await expect(collect(traceLines([max, "y\n"]))).rejects.toThrow(VmExitError);
    await expect(collect(traceLines([max.slice(1), "yz"]))).rejects.toThrow(VmExitError);
  });

  it("the limit counts bytes of UTF-8, not characters", async () => {
    // "é" is two bytes
    const half = "é".repeat(MAX_TRACE_LINE / 2);
    expect(await collect(traceLines([`${half}\n`]))).toEqual([half]);
    await expect(collect(traceLines([`${half}a\n`]))).rejects.toThrow(VmExitError);
  });

  it("a UTF-8 byte order mark at the start is not part of the first line", async () => {
    expect(await collect(traceLines([new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a])]))).toEqual([
      "a",
    ]);
  });
});
