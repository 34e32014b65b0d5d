import { describe, expect, it } from "vitest";
import { VmExitError } from "../core/error";
import { decodeTraceExit } from "./decode";
import { traceExitToJSON } from "./json";
import { parseTraceLine } from "./line";
import { readTrace, type TraceItem } from "./read";
import { MAX_TRACE_LINE, traceLineBatches, traceLines } from "./stream";
import type { TraceExit } from "./types";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("traceLines", () => {
  it("splits chunks at LF and CRLF, across chunk borders, and keeps a last line without LF", async () => {
    expect(await collect(traceLines(["a\r\nb", "c\n", "\nd"]))).toEqual(["a", "bc", "", "d"]);
    expect(await collect(traceLines("x\ny\r"))).toEqual(["x", "y"]);
  });

  it("decodes UTF-8 bytes split inside a character", async () => {
    // "é" is C3 A9 in UTF-8
    const bytes = [new Uint8Array([0x61, 0xc3]), new Uint8Array([0xa9, 0x0a, 0x62])];
    expect(await collect(traceLines(bytes))).toEqual(["aé", "b"]);
  });

  it("rejects binary trace files and unending lines with a VmExitError", async () => {
    // trace-cmd's trace.dat starts with 0x17 0x08 0x44 "tracing"; perf.data with "PERFILE2"
    const dat = new Uint8Array([0x17, 0x08, 0x44, ...new TextEncoder().encode("tracing6\0")]);
    await expect(collect(traceLines([dat]))).rejects.toThrow(/trace-cmd report/);
    await expect(collect(traceLines(["PERF", "ILE2\0\0"]))).rejects.toThrow(/perf script/);
    const long = "x".repeat(MAX_TRACE_LINE + 1);
    await expect(collect(traceLines([long]))).rejects.toThrow(VmExitError);
    // a line of exactly MAX_TRACE_LINE characters is still read
    expect(await collect(traceLines(["y".repeat(MAX_TRACE_LINE), "\n"]))).toHaveLength(1);
  });

  it("batches the complete lines of each chunk", async () => {
    expect(await collect(traceLineBatches(["a\nb\nc", "d\n", "e"]))).toEqual([
      ["a", "b"],
      ["cd"],
      ["e"],
    ]);
  });

  it("reads a web ReadableStream", async () => {
    const stream = new ReadableStream<string>({
      start(c) {
        c.enqueue("l1\nl");
        c.enqueue("2\n");
        c.close();
      },
    });
    expect(await collect(traceLines(stream))).toEqual(["l1", "l2"]);
  });
});

describe("decodeTraceExit", () => {
  function exit(line: string): TraceExit {
    const r = parseTraceLine(line);
    if (r?.type !== "exit") throw new Error("not an exit");
    return r;
  }

  it("decodes what the line determines", () => {
    // intr_info 0x800000ef: valid, external interrupt, vector 0xef
    const r = decodeTraceExit(exit("kvm_exit: reason EXTERNAL_INTERRUPT rip 0x1 info 0 800000ef"));
    expect(r.decoded?.exit).toEqual({ kind: "ExternalInterrupt", vector: 0xefn });
    expect(r.decoded?.cause.name).toBe("EXTERNAL_INTERRUPT");
    // RISC-V WFI: scause 22, stval = 0x10500073 (wfi)
    const wfi = decodeTraceExit(
      exit("kvm_exit: SEPC:0x1, SCAUSE:0x16, STVAL:0x10500073, HTVAL:0x0, HTINST:0x0"),
    );
    expect(wfi.decoded?.exit).toEqual({ kind: "Halt" });
  });

  it("passes decoder options through", () => {
    // IN from port 0x64, 1 byte: qualification = 0x64 << 16 | IN (bit 3) = 0x640008
    const r = decodeTraceExit(
      exit("kvm_exit: vcpu 0 reason IO_INSTRUCTION rip 0x1 info1 0x0000000000640008"),
      {
        options: { "x86-vmx": { hypercallAbi: "kvm" } },
      },
    );
    expect(r.decoded?.exit).toEqual({ kind: "IoRead", port: 0x64, width: 1 });
  });

  it("explains what is missing: registers, the EPT GPA, arm64 ISS, an SVM decoder", () => {
    const ept = decodeTraceExit(exit("kvm_exit: vcpu 0 reason EPT_VIOLATION rip 0x1 info1 0x181"));
    expect(ept.error).toBeInstanceOf(VmExitError);
    expect(ept.error?.code).toBe("missing-register");
    const arm = decodeTraceExit(exit("kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x1"));
    expect(arm.error?.message).toContain("EC 0x24");
    expect(arm.error?.field).toBe("esr");
    // an NPF needs its error code (EXITINFO1) and GPA (EXITINFO2), which this line lacks
    const svm = decodeTraceExit(exit("kvm_exit: vcpu 0 reason npf rip 0x1"));
    expect(svm.error?.code).toBe("missing-register");
    expect(svm.error?.field).toBe("exitInfo1");
    // VMX basic reason 0x26 (38) is undefined
    expect(decodeTraceExit(exit("kvm_exit: vcpu 0 reason 0x26 rip 0x1")).error?.code).toBe(
      "unknown-exit-reason",
    );
  });
});

describe("readTrace", () => {
  const text = [
    "# header",
    "a-1 [000] .... 1.0: kvm_exit: vcpu 0 reason HLT rip 0xffffffff81000000",
    "a-1 [000] .... 1.1: kvm_entry: vcpu 0",
    "a-1 [000] .... 1.2: kvm_pio: pio_read at 0x64 size 1 count 1 val 0x1c",
    "a-1 [000] .... 1.3: kvm_exit: vcpu 0 reason MSR_READ rip 0x1",
    "???",
  ].join("\n");

  it("yields one item per line; an exit when its vCPU re-enters (or at the end)", async () => {
    const items: TraceItem[] = await collect(readTrace([text]));
    // the HLT closes at line 3's kvm_entry; the MSR_READ, never re-entered, at the end
    expect(items.map((i) => [i.line, i.type])).toEqual([
      [1, "other"],
      [2, "exit"],
      [3, "entry"],
      [4, "companion"],
      [6, "skipped"],
      [5, "exit"],
    ]);
    const hlt = items[1];
    if (hlt?.type !== "exit") throw new Error();
    expect(hlt.exit).toEqual({ kind: "Halt" });
    expect(hlt).toMatchObject({ closedBy: "entry", entryLine: 3, handlingNs: 100_000_000 });
    const msr = items[5];
    if (msr?.type !== "exit") throw new Error();
    expect(msr.exit).toBeUndefined();
    expect(msr.error?.code).toBe("missing-register"); // RDMSR needs ECX (no kvm_msr)
    // RDMSR is always SysRegRead { addr: ECX, reg: 0 }: the kind and reg are known, the MSR is not
    expect(msr.partial).toEqual({ kind: "SysRegRead", reg: 0 });
    expect(msr.missing).toEqual(["addr"]);
    expect(msr.closedBy).toBe("end");
    // the kvm_pio came after the HLT's entry: no open exit to join
    expect(items[3]).toMatchObject({
      type: "companion",
      line: 4,
      companion: { event: "kvm_pio", port: 0x64 },
    });
    expect((items[3] as { exitLine?: number }).exitLine).toBeUndefined();
  });

  it("does not decode with decode: false", async () => {
    const items = await collect(readTrace([text], { decode: false }));
    const hlt = items[1];
    expect(hlt?.type === "exit" && hlt.exit === undefined && hlt.error === undefined).toBe(true);
  });

  it("traceExitToJSON gives where, what, the exit and the cause", async () => {
    const items = await collect(readTrace([text]));
    const hlt = items[1];
    if (hlt?.type !== "exit") throw new Error();
    expect(traceExitToJSON(hlt)).toEqual({
      line: 2,
      timestampNs: 1e9,
      cpu: 0,
      task: "a",
      pid: 1,
      vcpu: 0,
      arch: "x86-vmx",
      name: "HLT",
      code: 12,
      pc: "0xffffffff81000000",
      snapshot: { exitReason: 12, regs: { rip: "0xffffffff81000000" } },
      exit: { kind: "Halt" },
      cause: expect.objectContaining({ arch: "x86-vmx", code: 12, name: "HLT" }),
      closedBy: "entry",
      entryLine: 3,
      // 1.1 s − 1.0 s
      handlingNs: 100_000_000,
    });
    const msr = items[5];
    if (msr?.type !== "exit") throw new Error();
    expect(traceExitToJSON(msr)).toMatchObject({
      exit: null,
      cause: null,
      partial: { kind: "SysRegRead", reg: 0 },
      missing: ["addr"],
      error: expect.stringContaining("rcx"),
    });
    const arm = (
      await collect(readTrace(["kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x10"]))
    )[0];
    if (arm?.type !== "exit") throw new Error();
    expect(traceExitToJSON(arm)).toMatchObject({
      arch: "aarch64",
      name: "IRQ",
      exceptionType: "IRQ",
      pc: "0x10",
      // the INTID KVM acknowledged is not in the trace
      partial: { kind: "ExternalInterrupt" },
      missing: ["vector"],
    });
  });
});
