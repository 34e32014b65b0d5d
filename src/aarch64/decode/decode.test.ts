import { describe, expect, it } from "vitest";
import { VmExitError, type VmExitErrorCode } from "../../core/error";
import type { VmExit } from "../../core/exit";
import type { GuestPhysAddr } from "../../core/scalars/guest-phys-addr";
import type { Aarch64Snapshot } from "../snapshot";
import { decodeAarch64 } from "./decode";

// Field layout (Arm ARM D24.2.40, arch-spec B.2): ESR = ISS2[55:32] | EC[31:26] | IL[25] | ISS[24:0].

function rejects(fn: () => unknown, code: VmExitErrorCode, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    return;
  }
  expect.unreachable("expected a VmExitError");
}

interface Row {
  readonly what: string;
  readonly s: Aarch64Snapshot;
  readonly exit: VmExit;
  readonly cause?: Partial<Record<string, unknown>>;
}

function check(rows: readonly Row[]): void {
  for (const row of rows) {
    it(row.what, () => {
      const d = decodeAarch64(row.s);
      expect(d.exit).toStrictEqual(row.exit);
      if (row.cause !== undefined) expect(d.cause).toMatchObject(row.cause);
    });
  }
}

describe("decodeAarch64: interrupts and SError", () => {
  check([
    {
      what: "irq with INTID 27 (virtual timer PPI) → ExternalInterrupt 27",
      s: { esr: 0, exception: "irq", irq: 27 },
      exit: { kind: "ExternalInterrupt", vector: 27n },
      cause: { arch: "aarch64", code: 0, name: "IRQ", class: "interrupt", intid: 27n },
    },
    {
      what: "fiq with INTID 1020 as a bigint → ExternalInterrupt 1020, ESR ignored",
      // ESR is not updated for IRQ/FIQ, so even a stale unallocated EC (0x02) is ignored.
      s: { esr: 0x0800_0000, exception: "fiq", irq: 1020n },
      exit: { kind: "ExternalInterrupt", vector: 1020n },
      cause: { name: "FIQ", exception: "fiq" },
    },
    {
      what: "serror with EC 0x2F, DFSC 0x11 (asynchronous SError) → Nothing",
      // 0x2F<<26 = 0xBC000000 | IL 0x02000000 | DFSC 0x11 = 0xBE000011
      s: { esr: 0xbe00_0011, exception: "serror" },
      exit: { kind: "Nothing" },
      cause: { code: 0x2f, name: "SERROR", class: "serror", ids: false, dfsc: 0x11, ea: false },
    },
    {
      what: "sync EC 0x2F with IDS (bit 24), AET 2 (bits 12:10), EA (bit 9) → Nothing",
      // 0xBE000000 | IDS 0x01000000 | AET 2<<10 = 0x800 | EA 0x200 = 0xBF000A00
      s: { esr: 0xbf00_0a00 },
      exit: { kind: "Nothing" },
      cause: { class: "serror", exception: "sync", ids: true, aet: 2, ea: true, dfsc: 0 },
    },
  ]);
  it("rejects irq without the INTID", () => {
    rejects(() => decodeAarch64({ esr: 0, exception: "irq" }), "missing-register", "irq");
  });
});

describe("decodeAarch64: WFx (EC 0x01)", () => {
  check([
    {
      what: "0x06000000 WFI (TI 0) → Halt",
      s: { esr: 0x0600_0000 },
      exit: { kind: "Halt" },
      cause: { code: 1, name: "WFx", class: "wfx", ti: 0, mnemonic: "WFI", il: true },
    },
    {
      what: "0x06000001 WFE (TI 1) → Nothing",
      s: { esr: 0x0600_0001 },
      exit: { kind: "Nothing" },
      cause: { ti: 1, mnemonic: "WFE" },
    },
    {
      what: "WFIT x5: TI 2 | RV (bit 2) | Rn 5 << 5 → Halt",
      // ISS = 5<<5 (0xA0) | RV 0x4 | TI 2 = 0xA6 → ESR 0x060000A6
      s: { esr: 0x0600_00a6 },
      exit: { kind: "Halt" },
      cause: { ti: 2, mnemonic: "WFIT", rv: true, rn: 5 },
    },
    {
      what: "WFET (TI 3) → Nothing",
      s: { esr: 0x0600_0003 },
      exit: { kind: "Nothing" },
      cause: { ti: 3, mnemonic: "WFET", rv: false },
    },
    {
      what: "AArch32 WFI with CV and COND 0xE (bits 24, 23:20) → Halt",
      // ISS = CV 0x01000000 | COND 0xE<<20 = 0x00E00000 → 0x07E00000
      s: { esr: 0x07e0_0000 },
      exit: { kind: "Halt" },
      cause: { cv: true, cond: 0xe },
    },
  ]);
});

// HVC64 imm 0: 0x16<<26 = 0x58000000 | IL = 0x5A000000; SMC64: 0x17<<26 | IL = 0x5E000000;
// HVC32: 0x12<<26 | IL = 0x4A000000; SMC32: 0x13<<26 | IL = 0x4E000000.
const HVC64 = 0x5a00_0000;
const SMC64 = 0x5e00_0000;
const HVC32 = 0x4a00_0000;
const SMC32 = 0x4e00_0000;

describe("decodeAarch64: PSCI over HVC and SMC", () => {
  const psciRows: readonly (readonly [string, number, VmExit])[] = [
    [
      "CPU_ON (32)",
      0x8400_0003,
      {
        kind: "CpuUp",
        targetCpu: 0x101n,
        entryPoint: 0x4008_0000n as GuestPhysAddr,
        arg: 0xc0ffeen,
      },
    ],
    [
      "CPU_ON (64)",
      0xc400_0003,
      {
        kind: "CpuUp",
        targetCpu: 0x101n,
        entryPoint: 0x4008_0000n as GuestPhysAddr,
        arg: 0xc0ffeen,
      },
    ],
    ["CPU_OFF", 0x8400_0002, { kind: "CpuDown", state: 0n }],
    ["CPU_SUSPEND (32)", 0x8400_0001, { kind: "Halt" }],
    ["CPU_SUSPEND (64)", 0xc400_0001, { kind: "Halt" }],
    ["SYSTEM_OFF", 0x8400_0008, { kind: "SystemDown" }],
    ["SYSTEM_OFF2 (32)", 0x8400_0015, { kind: "SystemDown" }],
    ["SYSTEM_OFF2 (64)", 0xc400_0015, { kind: "SystemDown" }],
    ["SYSTEM_RESET", 0x8400_0009, { kind: "SystemDown" }],
    ["SYSTEM_RESET2 (32)", 0x8400_0012, { kind: "SystemDown" }],
    ["SYSTEM_RESET2 (64)", 0xc400_0012, { kind: "SystemDown" }],
  ];
  // x1 = target MPIDR 0x101 (Aff1 1, Aff0 1), x2 = entry point, x3 = context id.
  const regs = (fid: number) => [fid, 0x101, 0x4008_0000, 0xc0ffee];
  for (const [conduit, esr, code] of [
    ["HVC", HVC64, 0x16],
    ["SMC", SMC64, 0x17],
  ] as const) {
    for (const [fn, fid, exit] of psciRows) {
      it(`${fn} 0x${fid.toString(16)} over ${conduit}64 → ${exit.kind}`, () => {
        const d = decodeAarch64({ esr, x: regs(fid) });
        expect(d.exit).toStrictEqual(exit);
        expect(d.cause).toMatchObject({
          code,
          class: "hvc-smc",
          conduit: conduit.toLowerCase(),
          functionId: fid,
          psciFunction: fn.replace(/ \(\d+\)$/, ""),
          callType: "fast",
          convention: fid >= 0xc400_0000 ? 64 : 32,
          owner: 4,
          ownerName: "Standard Secure Service Calls",
        });
      });
    }
  }
  check([
    {
      what: "CPU_ON over HVC32 reads W1…W3 (upper halves of X dropped)",
      s: { esr: HVC32, x: [0x8400_0003, 0xffff_ffff_0000_0001n, 0x1_8000_0000n, 0x2_0000_0003n] },
      exit: { kind: "CpuUp", targetCpu: 1n, entryPoint: 0x8000_0000n as GuestPhysAddr, arg: 3n },
      cause: { code: 0x12, name: "HVC32", conduit: "hvc", aarch32: true },
    },
    {
      // Linux kvm_psci_narrow_to_32bit: an SMC32-convention CPU_ON from AArch64 uses W1…W3.
      what: "CPU_ON 0x84000003 (SMC32 convention) over HVC64 reads W1…W3",
      s: { esr: HVC64, x: [0x8400_0003, 0xffff_ffff_0000_0101n, 0x1_4008_0000n, 0x2_0000_0003n] },
      exit: {
        kind: "CpuUp",
        targetCpu: 0x101n,
        entryPoint: 0x4008_0000n as GuestPhysAddr,
        arg: 3n,
      },
    },
    {
      // Linux kvm_psci_check_allowed_function: SMC64 IDs from AArch32 → NOT_SUPPORTED, no CPU_ON.
      what: "CPU_ON 0xC4000003 (SMC64 convention) over HVC32 → Hypercall with W registers",
      s: { esr: HVC32, x: [0xc400_0003, 1, 2, 3, 4, 5, 6] },
      exit: { kind: "Hypercall", nr: 0xc400_0003n, args: [1n, 2n, 3n, 4n, 5n, 6n] },
      cause: { psciFunction: "CPU_ON", convention: 64, aarch32: true },
    },
    {
      what: "SYSTEM_OFF2 0xC4000015 over SMC32 → Hypercall, not SystemDown",
      s: { esr: SMC32, x: [0xc400_0015, 0, 0, 0, 0, 0, 0] },
      exit: { kind: "Hypercall", nr: 0xc400_0015n, args: [0n, 0n, 0n, 0n, 0n, 0n] },
    },
    {
      what: "SYSTEM_RESET over SMC32 → SystemDown, imm16 0 (SMC32 has none)",
      s: { esr: SMC32 | 0x1234, x: [0x8400_0009] },
      exit: { kind: "SystemDown" },
      cause: { code: 0x13, name: "SMC32", conduit: "smc", aarch32: true, imm16: 0 },
    },
    {
      what: "CPU_ON with X0 bits 63:32 set: the function ID is W0 (SMCCC) → CpuUp",
      s: { esr: HVC64, x: [0xffff_ffff_c400_0003n, 2, 0x8000, 0] },
      exit: { kind: "CpuUp", targetCpu: 2n, entryPoint: 0x8000n as GuestPhysAddr, arg: 0n },
    },
    {
      what: "PSCI_VERSION 0x84000000 → Hypercall nr x0, args x1…x6",
      s: { esr: HVC64, x: [0x8400_0000, 1, 2, 3, 4, 5, 6, 7] },
      exit: { kind: "Hypercall", nr: 0x8400_0000n, args: [1n, 2n, 3n, 4n, 5n, 6n] },
      cause: { psciFunction: "PSCI_VERSION", functionName: "PSCI_VERSION" },
    },
    {
      what: "hvc #0x4711 with a vendor-hypervisor ID (owner 6) → Hypercall, imm16 0x4711",
      // fid 0x86000001: fast (bit 31), SMC32 (bit 30 clear), owner 6 (bits 29:24), function 1
      s: { esr: HVC64 | 0x4711, x: [0x8600_0001, 0, 0, 0, 0, 0, 0xffff_ffff_ffff_ffffn] },
      exit: {
        kind: "Hypercall",
        nr: 0x8600_0001n,
        args: [0n, 0n, 0n, 0n, 0n, 0xffff_ffff_ffff_ffffn],
      },
      cause: {
        imm16: 0x4711,
        owner: 6,
        ownerName: "Vendor Specific Hypervisor Service Calls",
        functionNumber: 1,
        functionName: undefined,
        psciFunction: undefined,
      },
    },
    {
      what: "HVC64 with a 64-bit yielding call nr (bit 31 clear) keeps all 64 bits of x0",
      s: { esr: HVC64, x: [0x1234_5678_4000_0010n, 9, 8, 7, 6, 5, 4] },
      exit: { kind: "Hypercall", nr: 0x1234_5678_4000_0010n, args: [9n, 8n, 7n, 6n, 5n, 4n] },
      cause: { callType: "yielding", convention: 64, owner: 0 },
    },
    {
      what: "HVC32 Hypercall uses W0…W6",
      s: { esr: HVC32, x: [0x1_0000_0005n, 0x1_0000_0001n, 2, 3, 4, 5, 0x2_0000_0006n] },
      exit: { kind: "Hypercall", nr: 5n, args: [1n, 2n, 3n, 4n, 5n, 6n] },
    },
    {
      what: "SMCCC_ARCH_WORKAROUND_1 over SMC64 → Hypercall named by the arch call table",
      s: { esr: SMC64, x: [0x8000_8000, 0, 0, 0, 0, 0, 0] },
      exit: { kind: "Hypercall", nr: 0x8000_8000n, args: [0n, 0n, 0n, 0n, 0n, 0n] },
      cause: { functionName: "SMCCC_ARCH_WORKAROUND_1", owner: 0 },
    },
  ]);
  it("needs x0, and x1…x3 for CPU_ON", () => {
    rejects(() => decodeAarch64({ esr: HVC64 }), "missing-register", "x0");
    rejects(() => decodeAarch64({ esr: HVC64, x: [0xc400_0003, 1] }), "missing-register", "x2");
  });
  it("needs only x0 for CPU_OFF / SYSTEM_OFF", () => {
    expect(decodeAarch64({ esr: SMC64, x: [0x8400_0002] }).exit).toStrictEqual({
      kind: "CpuDown",
      state: 0n,
    });
  });
});

describe("decodeAarch64: reserved encodings and bad input", () => {
  // Unallocated ECs (Arm ARM D24.2.40; arch-spec B.1).
  const unallocated = [
    0x02, 0x0b, 0x0f, 0x10, 0x14, 0x1b, 0x23, 0x29, 0x2a, 0x2b, 0x2e, 0x36, 0x37, 0x39, 0x3b, 0x3d,
    0x3e, 0x3f,
  ];
  for (const ec of unallocated) {
    it(`EC 0x${ec.toString(16)} is unallocated → reserved-encoding`, () => {
      rejects(
        () => decodeAarch64({ esr: ((ec << 26) | (1 << 25)) >>> 0 }),
        "reserved-encoding",
        "esr",
      );
    });
  }
  it("ESR bits 63:56 non-zero → reserved-encoding (also for serror)", () => {
    // bit 56 set on WFI 0x06000000
    rejects(() => decodeAarch64({ esr: 0x0100_0000_0600_0000n }), "reserved-encoding", "esr");
    rejects(
      () => decodeAarch64({ esr: 0x8000_0000_be00_0000n, exception: "serror" }),
      "reserved-encoding",
      "esr",
    );
  });
  it("rejects bad argument types, naming the field", () => {
    rejects(() => decodeAarch64(null as never), "invalid-argument", "snapshot");
    // An unknown exception kind is reported as such, even before a missing esr.
    rejects(() => decodeAarch64({ exception: "undef" } as never), "invalid-argument", "exception");
    rejects(() => decodeAarch64({ esr: -1 }), "invalid-argument", "esr");
    rejects(() => decodeAarch64({ esr: 2n ** 64n }), "out-of-range", "esr");
    rejects(() => decodeAarch64({ esr: "0x1" as never }), "invalid-argument", "esr");
    rejects(() => decodeAarch64({} as never), "missing-register", "esr");
    rejects(
      () => decodeAarch64({ esr: 0x0600_0000, exception: "nmi" as never }),
      "invalid-argument",
      "exception",
    );
    rejects(() => decodeAarch64({ esr: 0x5a00_0000, x: 5 as never }), "invalid-argument", "x");
    rejects(() => decodeAarch64({ esr: 0, exception: "irq", irq: 1.5 }), "invalid-argument", "irq");
  });
});

describe("decodeAarch64: every other allocated EC → Nothing", () => {
  // EC, Linux kvm_exit name (kvm_arm_exception_class) or esr.h macro suffix.
  const rows: readonly (readonly [number, string])[] = [
    [0x00, "UNKNOWN"],
    [0x03, "CP15_32"],
    [0x04, "CP15_64"],
    [0x05, "CP14_MR"],
    [0x06, "CP14_LS"],
    [0x07, "FP_ASIMD"],
    [0x08, "CP10_ID"],
    [0x09, "PAC"],
    [0x0a, "OTHER"],
    [0x0c, "CP14_64"],
    [0x0d, "BTI"],
    [0x0e, "ILL"],
    [0x11, "SVC32"],
    [0x15, "SVC64"],
    [0x19, "SVE"],
    [0x1a, "ERET"],
    [0x1c, "FPAC"],
    [0x1d, "SME"],
    [0x1e, "GPC"],
    [0x1f, "IMP_DEF"],
    [0x22, "PC_ALIGN"],
    [0x26, "SP_ALIGN"],
    [0x27, "MOPS"],
    [0x28, "FP_EXC32"],
    [0x2c, "FP_EXC64"],
    [0x2d, "GCS"],
    [0x30, "BREAKPT_LOW"],
    [0x31, "BREAKPT_CUR"],
    [0x32, "SOFTSTP_LOW"],
    [0x33, "SOFTSTP_CUR"],
    [0x34, "WATCHPT_LOW"],
    [0x35, "WATCHPT_CUR"],
    [0x38, "BKPT32"],
    [0x3a, "VECTOR32"],
    [0x3c, "BRK64"],
  ];
  for (const [ec, name] of rows) {
    it(`EC 0x${ec.toString(16)} ${name} → Nothing`, () => {
      // ESR = EC << 26 | IL | ISS 0x1234 (e.g. brk #0x1234 for BRK64)
      const d = decodeAarch64({ esr: ((ec << 26) | (1 << 25) | 0x1234) >>> 0 });
      expect(d.exit).toStrictEqual({ kind: "Nothing" });
      expect(d.cause).toMatchObject({
        arch: "aarch64",
        code: ec,
        name,
        class: "other",
        iss: 0x1234,
        il: true,
      });
    });
  }
  it("IL = 0 (16-bit T32) is reported", () => {
    // BKPT32 without IL: 0x38 << 26 = 0xE0000000
    expect(decodeAarch64({ esr: 0xe000_0000 }).cause).toMatchObject({ il: false, name: "BKPT32" });
  });
});
