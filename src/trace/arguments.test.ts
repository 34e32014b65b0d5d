// The trace reader's exported functions called with wrongly typed arguments, at the top and deep
// inside (a report row, a field of an exit item, a chunk of a source): only a `VmExitError` naming
// the argument may come out, and a valid argument still works.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { probe } from "../../test/harness/hostile";
import { VmExitError } from "../core/error";
import { isCommentLine } from "./classify";
import { formatTraceStat } from "./format-stat";
import { traceExitToJSON } from "./json";
import { readTrace, type TraceExitItem } from "./read";
import { csvLine, ndjsonLine, TRACE_COLUMNS, traceRow } from "./rows";
import { statTrace, type TraceStatReport } from "./stat";
import { traceLineBatches, traceLines } from "./stream";

// An x86 HLT exit closed by the vCPU's next kvm_entry 2 µs later, and a line no parser reads.
const TEXT = [
  "CPU 0/KVM-1 [000] d..1. 1.000000: kvm_exit: reason HLT rip 0x1 info 0 0",
  "CPU 0/KVM-1 [000] d..1. 1.000002: kvm_entry: vcpu 0, rip 0x2",
  "not a trace line",
  "",
].join("\n");

async function exitItem(): Promise<TraceExitItem> {
  for await (const item of readTrace([TEXT])) if (item.type === "exit") return item;
  throw new Error("no exit item");
}

/** The error `f` throws (awaited), or undefined. */
async function rejection(f: () => unknown): Promise<unknown> {
  try {
    const r = f();
    if (r !== null && typeof r === "object" && Symbol.asyncIterator in r) {
      for await (const _ of r as AsyncIterable<unknown>);
    } else await r;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Expects a `VmExitError("invalid-argument")` on `field` whose message matches `message`. */
async function expectRejected(f: () => unknown, field: string, message: RegExp): Promise<void> {
  const e = await rejection(f);
  expect(e).toBeInstanceOf(VmExitError);
  expect((e as VmExitError).code).toBe("invalid-argument");
  expect((e as VmExitError).field).toBe(field);
  expect((e as VmExitError).message).toMatch(message);
}

/** `value` with the property at `path` replaced by `v`. */
function withPath(value: unknown, path: readonly string[], v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path as [string, ...string[]];
  const copy = { ...(value as Record<string, unknown>) };
  copy[head] = withPath(copy[head], rest, v);
  return copy;
}

describe("valid arguments still work", () => {
  it("writes rows, JSON and the table of a real trace", async () => {
    const item = await exitItem();
    const row = traceRow(item);
    expect(JSON.parse(ndjsonLine(row))).toMatchObject({ reason: "HLT", handling_ns: 2000 });
    expect(csvLine(row).split(",")).toHaveLength(TRACE_COLUMNS.length);
    expect(traceExitToJSON(item)).toMatchObject({ name: "HLT", closedBy: "entry" });
    const report = await statTrace([TEXT]);
    expect(formatTraceStat(report)).toMatch(/^Reason/);
    expect(isCommentLine("# tracer: nop")).toBe(true);
  });
});

describe("through the hostile-value harness", () => {
  it("lets only VmExitError out of each function, whatever one argument is", async () => {
    const item = await exitItem();
    const row = traceRow(item);
    const report = await statTrace([TEXT]);
    const calls: readonly [string, (...a: never[]) => unknown, readonly unknown[]][] = [
      ["traceRow", traceRow, [item]],
      ["traceExitToJSON", traceExitToJSON, [item]],
      ["ndjsonLine", ndjsonLine, [row]],
      ["csvLine", csvLine, [row]],
      ["formatTraceStat", formatTraceStat, [report]],
      ["isCommentLine", isCommentLine, ["# x"]],
      ["readTrace", readTrace, [[TEXT], {}]],
      ["statTrace", statTrace, [[TEXT], {}]],
      ["traceLines", traceLines, [[TEXT]]],
      ["traceLineBatches", traceLineBatches, [[TEXT]]],
    ];
    for (const [name, f, sample] of calls) {
      expect(
        await probe(name, f as (...a: unknown[]) => unknown, undefined, sample),
      ).toBeUndefined();
    }
  });
});

describe("sources and chunks", () => {
  it("names a source that is not text, a stream or an iterable", async () => {
    await expectRejected(() => readTrace(5 as never), "source", /^source must be a string, a Read/);
    await expectRejected(() => statTrace(null as never), "source", /got null$/);
    // bytes are one chunk: an array of them is the source
    await expectRejected(
      () => traceLines(new TextEncoder().encode(TEXT) as never),
      "source",
      /a Uint8Array is one chunk: pass \[bytes\]$/,
    );
  });

  it("names a chunk that is neither a string nor a Uint8Array, from an iterable or a stream", async () => {
    await expectRejected(
      () => readTrace([TEXT, 5] as never),
      "chunk",
      /^chunk must be a string or a Uint8Array \(a chunk of trace text\), got 5$/,
    );
    await expectRejected(() => traceLineBatches([undefined] as never), "chunk", /got undefined$/);
    const stream = new ReadableStream<unknown>({
      start(c) {
        c.enqueue({ length: 3 });
        c.close();
      },
    });
    await expectRejected(() => statTrace(stream as never), "chunk", /got an object$/);
  });

  it("reads a Uint8Array chunk as the bytes of the text", async () => {
    const lines: string[] = [];
    for await (const l of traceLines([new TextEncoder().encode("a\nb")])) lines.push(l);
    expect(lines).toEqual(["a", "b"]);
  });
});

describe("options", () => {
  it("names options that are not an object and a decode flag that is not a boolean", async () => {
    await expectRejected(
      () => readTrace([TEXT], null as never),
      "options",
      /^options must be an object, got null$/,
    );
    await expectRejected(
      () => readTrace([TEXT], { decode: 0 as never }),
      "options.decode",
      /^options.decode must be a boolean, got 0$/,
    );
    await expectRejected(
      () => statTrace([TEXT], { onProgress: 5 as never }),
      "options.onProgress",
      /^options.onProgress must be a function, got 5$/,
    );
  });
});

describe("exit items as rows and JSON take", () => {
  // Each: a path in the item, a wrong value, and what the message names.
  const wrong: readonly [path: readonly string[], value: unknown, named: RegExp][] = [
    [["type"], "entry", /got an object$/],
    [["line"], -1, /but line is -1$/],
    [["trace"], null, /but trace is null, not an object$/],
    [["trace", "prefix"], 5, /but trace.prefix is 5, not an object$/],
    [["trace", "prefix", "timestamp"], 1, /but trace.prefix.timestamp is 1, not a bigint$/],
    [["trace", "prefix", "task"], Symbol("t"), /but trace.prefix.task is a symbol, not a string$/],
    [["trace", "arch"], "x86", /but trace.arch is "x86", not a trace architecture$/],
    [["trace", "pc"], null, /but trace.pc is null, not a bigint$/],
    [["companions"], {}, /but companions is an object, not an array$/],
    [["companions"], [null], /but companions\[0\] is not a companion item/],
    [
      ["exit"],
      { kind: "Halt", extra: 1 },
      /but exit is not a VmExit: extra is not a field of Halt$/,
    ],
    [["partial"], { kind: "Hypercall", args: new Array(6) }, /but partial.args\[0\] is a hole/],
    [["partial"], { kind: "MmioRead", width: 3 }, /but partial.width must be/],
    [["missing"], [1], /but missing is an array of length 1, not an array of field names$/],
    [["error"], "boom", /but error is "boom", not an error$/],
    [["closedBy"], "later", /but closedBy is "later"$/],
    [["handlingNs"], 1n, /but handlingNs is 0x1, not a number$/],
  ];

  it.each(wrong)("rejects %j = %s, naming it", async (path, value, named) => {
    const bad = withPath(await exitItem(), path, value);
    for (const f of [traceRow, traceExitToJSON]) {
      await expectRejected(() => f(bad as TraceExitItem), "item", named);
    }
  });

  it("lets only VmExitError out whatever one field holds (property)", async () => {
    const item = await exitItem();
    const paths: readonly (readonly string[])[] = [
      ...Object.keys(item).map((k) => [k]),
      ...Object.keys(item.trace).map((k) => ["trace", k]),
      ...["timestamp", "cpu", "pid", "task"].map((k) => ["trace", "prefix", k]),
      ["partial"],
      ["partial", "args"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.anything(), (path, v) => {
        const bad = withPath(item, path, v) as TraceExitItem;
        for (const f of [traceRow, traceExitToJSON]) {
          try {
            f(bad);
          } catch (e) {
            if (!(e instanceof VmExitError)) throw e;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("rows as NDJSON and CSV take", () => {
  it("rejects a column that is absent or not a cell, naming it", async () => {
    const row = traceRow(await exitItem());
    // NaN would make the NDJSON line invalid JSON
    for (const [column, value, shown] of [
      ["ts", Number.NaN, "NaN"],
      ["reason", undefined, "undefined"],
      ["args", [1], "an array of length 1"],
    ] as const) {
      const bad = { ...row, [column]: value };
      for (const f of [ndjsonLine, csvLine]) {
        await expectRejected(
          () => f(bad as never),
          "row",
          new RegExp(`but ${column} is ${shown}$`),
        );
      }
    }
  });
});

describe("reports as the table takes them", () => {
  const wrong: readonly [path: readonly string[], value: unknown, named: RegExp][] = [
    [["by"], "port", /but by is "port"$/],
    [["lines"], 1.5, /but lines is 1.5, not an integer$/],
    [["timed"], "1", /but timed is "1", not an integer$/],
    [["reasons"], null, /but reasons is null, not an array$/],
    [["skippedLines"], [{ line: 1 }], /but skippedLines\[0\] is not \{ line, message \}$/],
  ];

  it.each(wrong)("rejects %j = %s, naming it", async (path, value, named) => {
    const report = await statTrace([TEXT]);
    await expectRejected(
      () => formatTraceStat(withPath(report, path, value) as TraceStatReport),
      "report",
      named,
    );
  });

  it("rejects a row whose numbers are not numbers", async () => {
    const report = await statTrace([TEXT]);
    const row = report.reasons[0];
    for (const [k, v] of [
      ["count", "1"],
      ["name", 1],
      ["avgNs", null],
    ] as const) {
      const bad = { ...report, reasons: [{ ...row, [k]: v }] };
      await expectRejected(
        () => formatTraceStat(bad as never),
        "report",
        new RegExp(`but reasons\\[0\\]\\.${k} is `),
      );
    }
  });

  it("lets only VmExitError out whatever one field of the report or a row holds (property)", async () => {
    const report = await statTrace([TEXT]);
    const row = report.reasons[0] as object;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...Object.keys(report)).map((k) => [k]),
          fc.constantFrom(...Object.keys(row)).map((k) => ["reasons", "0", k]),
        ),
        fc.anything(),
        (path, v) => {
          const bad =
            path[0] === "reasons" && path.length === 3
              ? { ...report, reasons: [withPath(row, [path[2] as string], v)] }
              : withPath(report, path, v);
          try {
            formatTraceStat(bad as TraceStatReport);
          } catch (e) {
            if (!(e instanceof VmExitError)) throw e;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
