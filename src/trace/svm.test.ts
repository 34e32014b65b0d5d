// AMD SVM: the reader builds the SvmSnapshot a `kvm_exit` line and its companions determine and
// hands it to `codecs["x86-svm"]` once the registry has one. Until the SVM codec lands, a stand-in
// registered for this file records what it is given.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codecs } from "../codecs";
import type { AnyCodec, SnapshotKey } from "../core/codec";
import { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { exits, ftrace, onlyExit } from "./test-helpers";

// Linux SVM_EXIT_REASONS strings and libtraceevent's EXIT_ names, by exit code (APM vol. 2, table
// C-1): 0x07b IOIO, 0x07c MSR, 0x081 VMMCALL, 0x400 NPF
const CODES: Readonly<Record<string, number>> = {
  io: 0x7b,
  EXIT_IOIO: 0x7b,
  msr: 0x7c,
  EXIT_MSR: 0x7c,
  hypercall: 0x81,
  EXIT_VMMCALL: 0x81,
  npf: 0x400,
  EXIT_NPF: 0x400,
};

const seen: Record<string, unknown>[] = [];
const reg = (key: string): SnapshotKey => ({
  key,
  aliases: [],
  path: ["regs", key],
  value: { type: "u64" },
  help: key,
});

/** Records the snapshot; a WRMSR (EXITINFO1 = 1) needs RCX, as the real decoder does. */
function decodeExit(snapshot: Record<string, unknown>): VmExit {
  seen.push(snapshot);
  const regs = (snapshot.regs ?? {}) as Record<string, unknown>;
  if (snapshot.exitCode === 0x7c && regs.rcx === undefined) {
    throw new VmExitError("missing-register", "regs.rcx is needed", "regs.rcx");
  }
  return { kind: "Nothing" };
}

const standIn = {
  arch: "x86-svm",
  title: "AMD SVM (test stand-in)",
  names: ["svm"],
  snapshotKeys: [
    {
      key: "exitCode",
      aliases: [],
      path: ["exitCode"],
      value: { type: "named", bits: 64, lookup: (n: string) => CODES[n] },
      required: true,
      help: "EXITCODE",
    },
    { key: "exitInfo1", aliases: [], path: ["exitInfo1"], value: { type: "u64" }, help: "" },
    { key: "exitInfo2", aliases: [], path: ["exitInfo2"], value: { type: "u64" }, help: "" },
    ...["rax", "rbx", "rcx", "rdx", "rsi", "rdi"].map(reg),
  ],
  decodeOptions: [],
  encodeOptions: [],
  registers: {},
  decode: (s: Record<string, unknown>) => ({
    exit: decodeExit(s),
    cause: { arch: "x86-svm", code: s.exitCode },
  }),
  decodeExit,
  encode: () => {
    throw new Error("unused");
  },
  canEncode: () => false,
  explain: () => [],
} as unknown as AnyCodec;

const registry = codecs as unknown as Record<string, AnyCodec | undefined>;
beforeAll(() => {
  registry["x86-svm"] = standIn;
});
afterAll(() => {
  delete registry["x86-svm"];
});

const S = (t: string, event: string, body: string) => ftrace(5001, 3, t, event, body);

describe("SVM exits through codecs['x86-svm']", () => {
  it("new format: EXITCODE by name, EXITINFO1/2, EXITINTINFO; kvm_pio's value in RAX", async () => {
    // OUT dx, al to 0x3f8: EXITINFO1 = port << 16 | SZ8 (bit 4) = 0x03f80010, EXITINFO2 = next RIP
    seen.length = 0;
    const e = await onlyExit([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason io rip 0x1000 info1 0x0000000003f80010 info2 0x0000000000001001 intr_info 0x00000000 error_code 0x00000000",
      ),
      S("1.1", "kvm_pio", "pio_write at 0x3f8 size 1 count 1 val 0x41 "),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x1001"),
    ]);
    expect(e.exit).toEqual({ kind: "Nothing" });
    expect(e.trace).toMatchObject({
      arch: "x86-svm",
      code: 0x7b,
      snapshot: { exitCode: 0x7b, exitInfo1: 0x3f80010 },
    });
    expect(seen).toEqual([
      {
        exitCode: 0x7b,
        exitInfo1: 0x3f80010,
        exitInfo2: 0x1001,
        exitIntInfo: 0,
        exitIntInfoErrorCode: 0,
        regs: { rip: 0x1000, rax: 0x41 },
      },
    ]);
  });

  it("plugin format with EXIT_ names: `info A B` are EXITINFO1 and EXITINFO2", async () => {
    seen.length = 0;
    await onlyExit([
      S("1.0", "kvm_exit", "reason EXIT_NPF rip 0xffffffff81000000 info 100000006 fee00300"),
    ]);
    expect(seen[0]).toMatchObject({
      exitCode: 0x400,
      exitInfo1: 0x100000006,
      exitInfo2: 0xfee00300,
    });
    // the old format prints no EXITINTINFO: the decoder is given none
    expect(seen[0]?.exitIntInfo).toBeUndefined();
  });

  it("NPF: the GPA from kvm_page_fault when the line lacks EXITINFO2, MMIO data in the registers", async () => {
    seen.length = 0;
    await onlyExit([
      S("1.0", "kvm_exit", "vcpu 0 reason npf rip 0x2000"),
      S(
        "1.1",
        "kvm_page_fault",
        "vcpu 0 rip 0x2000 address 0x00000000febf0000 error_code 0x100000006",
      ),
      S("1.1", "kvm_emulate_insn", "0:2000:89 07 (prot64)"),
      S("1.2", "kvm_mmio", "mmio write len 4 gpa 0xfebf0000 val 0x7"),
      S("1.3", "kvm_entry", "vcpu 0, rip 0x2002"),
    ]);
    expect(seen[0]).toMatchObject({
      exitCode: 0x400,
      exitInfo1: 0x100000006,
      exitInfo2: 0xfebf0000,
      instructionBytes: new Uint8Array([0x89, 0x07]),
      regs: { rax: 7, rdi: 7 },
    });
  });

  it("MSR writes: kvm_msr gives ECX and EDX:EAX; without it the kind is unknown", async () => {
    seen.length = 0;
    const got = await exits([
      S(
        "1.0",
        "kvm_exit",
        "vcpu 0 reason msr rip 0x3000 info1 0x0000000000000001 info2 0x0000000000000000",
      ),
      S("1.1", "kvm_msr", "msr_write 830 = 0x1000000fd"),
      S("1.2", "kvm_entry", "vcpu 0, rip 0x3002"),
      S(
        "1.3",
        "kvm_exit",
        "vcpu 0 reason msr rip 0x3000 info1 0x0000000000000001 info2 0x0000000000000000",
      ),
      S("1.4", "kvm_entry", "vcpu 0, rip 0x3002"),
    ]);
    expect(seen[0]).toMatchObject({ regs: { rcx: 0x830, rax: 0xfd, rdx: 1 } });
    expect(got[1]?.missing).toEqual(["kind"]);
  });

  it("VMMCALL: kvm_hypercall's nr and a0–a3 in RAX, RBX, RCX, RDX, RSI", async () => {
    seen.length = 0;
    await onlyExit([
      S("1.0", "kvm_exit", "reason EXIT_VMMCALL rip 0x4000 info 0 0"),
      S("1.1", "kvm_hypercall", "nr 0x5 a0 0x0 a1 0x1 a2 0x2 a3 0x3"),
    ]);
    expect(seen[0]).toMatchObject({ regs: { rax: 5, rbx: 0, rcx: 1, rdx: 2, rsi: 3 } });
  });
});
