// The page's pure logic, in Node: link parsing, the bit-table layout, the chart's buckets and
// ticks. Expected values are worked out by hand.
import { describe, expect, it } from "vitest";
import { layoutRows, shownTop } from "../src/bit-table";
import { formatRoute, parseRoute } from "../src/route";
import { ticks } from "../src/trace/chart";
import { ExitSeries } from "../src/trace/series";

const node = (name: string, hi: number, lo: number, value = 0n, children?: never[]) => ({
  name,
  bits: [hi, lo] as const,
  value,
  ...(children === undefined ? {} : { children }),
});

describe("links", () => {
  it("reads the tab and the pairs, decoded, in order", () => {
    expect(parseRoute("#/vmx?reason=48&qual=0x181&gpa=0x1050")).toEqual({
      tab: "vmx",
      params: [
        ["reason", "48"],
        ["qual", "0x181"],
        ["gpa", "0x1050"],
      ],
    });
    expect(parseRoute("#/Trace")).toEqual({ tab: "trace", params: [] });
    expect(parseRoute("")).toEqual({ tab: "", params: [] });
    // `+` and %20 are spaces; a lone % stays text; a key without `=` has an empty value.
    expect(parseRoute("#/vmx?bytes=8b+07&x=%zz&flag").params).toEqual([
      ["bytes", "8b 07"],
      ["x", "%zz"],
      ["flag", ""],
    ]);
  });

  it("writes what it reads", () => {
    const pairs: [string, string][] = [
      ["bytes", "8b 07"],
      ["reason", "HLT"],
      ["x", "a&b=c"],
      ["y", "8b:07,66"],
    ];
    const hash = formatRoute("vmx", pairs);
    expect(hash).toBe("#/vmx?bytes=8b+07&reason=HLT&x=a%26b%3Dc&y=8b:07,66");
    expect(parseRoute(hash)).toEqual({ tab: "vmx", params: pairs });
    expect(formatRoute("trace", [])).toBe("#/trace");
  });
});

describe("bit table layout", () => {
  it("shows whole bytes up to the highest field or set bit", () => {
    // A 64-bit register with fields up to bit 12 and value 0x181: bits 15…0.
    expect(shownTop(node("q", 63, 0, 0x181n, [node("a", 12, 12)] as never))).toBe(15);
    // A set bit 40 widens it to 47…0.
    expect(shownTop(node("q", 63, 0, 1n << 40n, [node("a", 12, 12)] as never))).toBe(47);
    // Never beyond the register: a 25-bit ISS [24:0] stays 24…0.
    expect(shownTop(node("iss", 24, 0, 0x1c08007n, [node("isv", 24, 24)] as never))).toBe(24);
  });

  it("places fields where they are and fills the gaps", () => {
    // ESR-like: EC [31:26], IL [25], ISS [24:0] over 31…0: no gap.
    expect(layoutRows([node("IL", 25, 25), node("ISS", 24, 0), node("EC", 31, 26)], 31, 0)).toEqual(
      [
        [
          { hi: 31, lo: 26, node: node("EC", 31, 26) },
          { hi: 25, lo: 25, node: node("IL", 25, 25) },
          { hi: 24, lo: 0, node: node("ISS", 24, 0) },
        ],
      ],
    );
    // Flags at 31 and 26 and a field 15…0 over 31…0: gaps 30…27 and 25…16.
    const rows = layoutRows([node("a", 31, 31), node("b", 26, 26), node("c", 15, 0)], 31, 0);
    expect(rows[0]?.map((c) => [c.hi, c.lo, c.node?.name])).toEqual([
      [31, 31, "a"],
      [30, 27, undefined],
      [26, 26, "b"],
      [25, 16, undefined],
      [15, 0, "c"],
    ]);
  });

  it("moves an overlapping field to a row of its own", () => {
    const rows = layoutRows([node("whole", 7, 0), node("low", 3, 0)], 7, 0);
    expect(rows.map((r) => r.map((c) => [c.hi, c.lo, c.node?.name]))).toEqual([
      [[7, 0, "whole"]],
      [
        [7, 4, undefined],
        [3, 0, "low"],
      ],
    ]);
  });
});

describe("chart", () => {
  it("counts exits per reason in equal time steps", () => {
    const s = new ExitSeries();
    // Times 0, 1, 2, 3 s (in ns) for A, A, B, A; 4 buckets of 0.75 s over 0…3 s:
    // 0 → bucket 0, 1 → 1, 2 → 2, 3 → the last bucket (3).
    s.add("x/A", "A", 0);
    s.add("x/A", "A", 1e9);
    s.add("x/B", "B", 2e9);
    s.add("x/A", "A", 3e9);
    expect(s.chart(4)).toEqual({
      axis: "seconds",
      x0: 0,
      x1: 3,
      series: [
        { name: "A", counts: [1, 1, 0, 1], total: 3 },
        { name: "B", counts: [0, 0, 1, 0], total: 1 },
      ],
    });
  });

  it("falls back to exit numbers when a line has no timestamp, and sums the rest as other", () => {
    const s = new ExitSeries();
    for (const name of ["A", "B", "C", "A"]) s.add(name, name, undefined);
    // Exit i of 4 in 2 buckets: i/4·2 → 0, 0, 1, 1. Only one reason drawn alone.
    expect(s.chart(2, 1)).toEqual({
      axis: "exits",
      x0: 0,
      x1: 4,
      series: [
        { name: "A", counts: [1, 1], total: 2 },
        { name: "other", counts: [1, 1], total: 2 },
      ],
    });
  });

  it("keeps going past the first array size", () => {
    const s = new ExitSeries();
    for (let i = 0; i < 5000; i++) s.add("k", "K", i);
    const { series } = s.chart(10);
    expect(series[0]?.counts).toEqual(Array(10).fill(500));
  });

  it("ticks at round steps", () => {
    expect(ticks(10)).toEqual([0, 5, 10]);
    expect(ticks(0.009, 5)).toEqual([0, 0.002, 0.004, 0.006, 0.008]);
    expect(ticks(1, 4, true)).toEqual([0, 1]);
    expect(ticks(0)).toEqual([0]);
  });
});
