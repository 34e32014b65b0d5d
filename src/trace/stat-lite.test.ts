// Statistics by reason read lines only as far as pairing and the reason need (the lite reading);
// every other grouping reads and decodes them in full, like `readTrace`. On well-formed traces
// both must count alike: checked here against counts taken from `readTrace`'s items, the full
// reader, on the bench's generated mixed traces (x86 current and old formats, arm64, RISC-V,
// companions interleaved across vCPUs), read whole, in chunks of every size class, through one
// reused buffer, with CRLF line ends and in perf's `kvm:kvm_exit:` spelling (which the lite
// reading leaves to the full reader).
import { describe, expect, it } from "vitest";
import { mixedTrace } from "../../bench/trace-workload";
import { readTrace } from "./read";
import { mergeStatShards, TraceStat, type TraceStatReport } from "./stat";

interface Counts {
  lines: number;
  exits: number;
  entries: number;
  companions: number;
  unpaired: number;
  other: number;
  skipped: number;
  total: number;
  timed: number;
  rows: Record<string, { count: number; timed: number; min: number; max: number; sum: number }>;
}

/** The counts `vmexit stat` must report, taken from the full reader's items. */
async function fullCounts(text: string): Promise<Counts> {
  const c: Counts = {
    lines: 0,
    exits: 0,
    entries: 0,
    companions: 0,
    unpaired: 0,
    other: 0,
    skipped: 0,
    total: 0,
    timed: 0,
    rows: {},
  };
  for await (const item of readTrace([text], { decode: false })) {
    if (item.type === "exit") {
      c.exits++;
      c.total++;
      const key = `${item.trace.arch} ${item.trace.name}`;
      c.rows[key] ??= { count: 0, timed: 0, min: Number.POSITIVE_INFINITY, max: 0, sum: 0 };
      const row = c.rows[key];
      row.count++;
      if (item.handlingNs !== undefined) {
        c.timed++;
        row.timed++;
        row.sum += item.handlingNs;
        row.min = Math.min(row.min, item.handlingNs);
        row.max = Math.max(row.max, item.handlingNs);
      }
    } else if (item.type === "entry") c.entries++;
    else if (item.type === "companion") {
      c.other++;
      if (item.exitLine === undefined) c.unpaired++;
      else c.companions++;
    } else if (item.type === "other") c.other++;
    else c.skipped++;
  }
  c.lines = c.exits + c.entries + c.other + c.skipped;
  return c;
}

function countsOf(r: TraceStatReport): Counts {
  const rows: Counts["rows"] = {};
  for (const row of r.reasons) {
    rows[`${row.arch} ${row.name}`] = {
      count: row.count,
      timed: row.timed,
      min: row.minNs ?? Number.POSITIVE_INFINITY,
      max: row.maxNs ?? 0,
      sum: row.totalNs ?? 0,
    };
  }
  const { lines, exits, entries, companions, unpaired, other, skipped, total, timed } = r;
  return { lines, exits, entries, companions, unpaired, other, skipped, total, timed, rows };
}

function generated(count: number, seed: number): string {
  const out: string[] = [];
  mixedTrace(count, (l) => out.push(l), seed);
  return `${out.join("\n")}\n`;
}

/** Reads `bytes` in chunks of `size` copied into one reused buffer (as the CLI's shards do). */
function statReused(bytes: Uint8Array, size: number): TraceStatReport {
  const stat = new TraceStat();
  const buf = new Uint8Array(size);
  for (let p = 0; p < bytes.length; p += size) {
    const n = Math.min(size, bytes.length - p);
    buf.set(bytes.subarray(p, p + n));
    stat.push(n === size ? buf : buf.subarray(0, n));
  }
  return stat.report();
}

describe("vmexit stat by reason (lite reading) against the full reader", () => {
  const traces = [1, 2, 3].map((seed) => generated(6000, seed));

  it.each(traces.map((t, i) => [i + 1, t]))(
    "counts a generated mixed trace (seed %i) as the full reader does",
    async (_seed, text) => {
      const want = await fullCounts(text);
      expect(want.exits).toBeGreaterThan(1000);
      expect(want.companions).toBeGreaterThan(1000);
      const stat = new TraceStat();
      stat.push(text);
      const report = stat.report();
      expect(report.decoded).toBe(false);
      expect(countsOf(report)).toEqual(want);
      // the line accounting is also what the decoding groupings report
      const byKind = new TraceStat({ by: "kind" });
      byKind.push(text);
      const kind = byKind.report();
      expect(kind.decoded).toBe(true);
      const { rows: _r, ...lineCounts } = want;
      expect(countsOf(kind)).toMatchObject(lineCounts);
    },
  );

  it.each(traces.map((t, i) => [i + 1, t]))(
    "groups a generated mixed trace (seed %i) by kind as the full reader's decoded items do",
    async (_seed, text) => {
      // the decoding groupings pair entries from the prefix alone and read the bodies of exits
      // and companions; readTrace reads every body
      const want: Record<string, { count: number; timed: number; sum: number }> = {};
      for await (const item of readTrace([text])) {
        if (item.type !== "exit") continue;
        const kind = item.exit?.kind ?? item.partial?.kind ?? "(unknown)";
        want[kind] ??= { count: 0, timed: 0, sum: 0 };
        const row = want[kind];
        row.count++;
        if (item.handlingNs !== undefined) {
          row.timed++;
          row.sum += item.handlingNs;
        }
      }
      expect(Object.keys(want).length).toBeGreaterThan(8);
      const stat = new TraceStat({ by: "kind" });
      stat.push(text);
      const got: typeof want = {};
      for (const row of stat.report().reasons) {
        got[row.name] = { count: row.count, timed: row.timed, sum: row.totalNs ?? 0 };
      }
      expect(got).toEqual(want);
    },
  );

  it("counts alike through one reused buffer, in chunks of any size", async () => {
    const lf = (traces[0] as string).slice(0, 200_000);
    // CRLF: a chunk may end between CR and LF
    for (const text of [lf, lf.replaceAll("\n", "\r\n")]) {
      const want = await fullCounts(text);
      const bytes = new TextEncoder().encode(text);
      for (const size of [1, 7, 64, 113, 4096, 65536]) {
        expect(countsOf(statReused(bytes, size))).toEqual(want);
      }
    }
  });

  it("counts alike with CRLF line ends and in perf's kvm:kvm_exit: spelling", async () => {
    const text = traces[1] as string;
    for (const variant of [
      text.replaceAll("\n", "\r\n"),
      text.replaceAll(": kvm_", ": kvm:kvm_"),
    ]) {
      const want = await fullCounts(variant);
      const stat = new TraceStat();
      stat.push(variant);
      expect(countsOf(stat.report())).toEqual(want);
    }
  });

  it.each(["reason", "kind"] as const)(
    "reports what one pass reports when read in shards, by %s",
    (by) => {
      const text = traces[2] as string;
      const lines = text.split("\n");
      lines.pop();
      const one = new TraceStat({ by });
      one.push(text);
      const whole = one.report();
      const bounds = [0, 1234, 2345, 4000, lines.length];
      const shards = [];
      for (let i = 0; i + 1 < bounds.length; i++) {
        const s = new TraceStat({ by });
        if (i > 0) s.keepHeads();
        s.push(`${lines.slice(bounds[i], bounds[i + 1]).join("\n")}\n`);
        shards.push(s.shard(i + 2 === bounds.length));
      }
      expect(mergeStatShards(shards, { by })).toEqual(whole);
    },
  );

  it("leaves companion bodies and the fields after a reason unread (a decoding grouping reads them)", () => {
    const lines = [
      "a-10 [000] .... 1.000000: kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x1 info1 0x181",
      "a-10 [000] .... 1.000001: kvm_mmio: mmio sideways len 4 gpa 0x1000 val 0x1",
      "a-10 [000] .... 1.000002: kvm_entry: vcpu 0, rip 0x2",
      "b-20 [001] .... 1.000003: kvm_exit: vcpu 1 reason HLT rip 0x1 info1 0xzz",
      "b-20 [001] .... 1.000004: kvm_entry: vcpu 1, rip 0x2",
    ];
    const lite = new TraceStat();
    for (const l of lines) lite.addLine(l);
    expect(lite.report()).toMatchObject({
      exits: 2,
      total: 2,
      companions: 1,
      skipped: 0,
      timed: 2,
    });
    const full = new TraceStat({ by: "kind" });
    for (const l of lines) full.addLine(l);
    // the kvm_mmio's type is no access type and the second kvm_exit's info1 is not hex: both
    // lines are skipped
    expect(full.report()).toMatchObject({ exits: 1, total: 1, companions: 0, skipped: 2 });
  });

  it("pairs a kvm_entry from its prefix in every grouping; the full reader reads its body", async () => {
    const lines = [
      "a-10 [000] .... 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1 info1 0x0 info2 0x0",
      "a-10 [000] .... 1.000003: kvm_entry: vcpu zz, rip 0x2",
    ];
    for (const by of ["reason", "kind"] as const) {
      const stat = new TraceStat({ by });
      for (const l of lines) stat.addLine(l);
      // the entry closes the exit after 3 µs: its body (a vCPU id that is no number) is not read
      expect(stat.report()).toMatchObject({ exits: 1, entries: 1, skipped: 0, timed: 1 });
      expect(stat.report().reasons[0]?.totalNs).toBe(3000);
    }
    // readTrace, which yields each entry with its fields, skips the line
    const items = [];
    for await (const item of readTrace([lines.join("\n")])) items.push(item.type);
    expect(items).toEqual(["skipped", "exit"]);
  });
});
