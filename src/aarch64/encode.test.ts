import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aarch64ExpressibleExit } from "../arbitraries/aarch64";
import { vmExit } from "../arbitraries/index";
import { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { isVmExit } from "../core/guards";
import { decodeAarch64 } from "./decode/decode";
import { canEncodeAarch64, encodeAarch64 } from "./encode";

function unrepresentable(exit: VmExit, why: string): void {
  expect(canEncodeAarch64(exit)).toBe(false);
  try {
    encodeAarch64(exit);
    expect.unreachable("expected unrepresentable");
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe("unrepresentable");
    expect((e as VmExitError).message).toContain(why);
  }
}

describe("encodeAarch64: snapshots derived from the field layouts", () => {
  it("MmioWrite 4 bytes at 0x9000010 → 0x93800047 (ISV, SAS 2, SRT 0, WnR, DFSC 0x07)", () => {
    // 0x92000000 | ISV 0x01000000 | SAS 2<<22 (0x800000) | WnR 0x40 | 0x07 = 0x93800047
    expect(
      encodeAarch64({ kind: "MmioWrite", addr: 0x900_0010n as never, width: 4, data: 0xabn }),
    ).toStrictEqual({ esr: 0x9380_0047, far: 0x10n, hpfar: 0x9_0000n, x: [0xabn] });
  });
  it("MmioRead 2 bytes sign-extended into x7 (W) → SAS 1, SSE, SRT 7, SF 0", () => {
    // 0x92000000 | 0x01000000 | 1<<22 (0x400000) | SSE 0x200000 | 7<<16 (0x70000) | 0x07 = 0x93670007
    expect(
      encodeAarch64({
        kind: "MmioRead",
        addr: 0x1000n as never,
        width: 2,
        reg: 7,
        regWidth: 4,
        signedExt: true,
      }),
    ).toStrictEqual({ esr: 0x9367_0007, far: 0n, hpfar: 0x10n });
  });
  it("SendIPI to 4.3.2 with TargetList 0x8001 << 16 → msr ICC_SGI1R_EL1, x0 = 0x0004_1003_0F02_8001", () => {
    expect(
      encodeAarch64({
        kind: "SendIPI",
        targetCpu: 0x0403_0200n,
        targetCpuAux: 0x8001_0000n,
        sendToAll: false,
        sendToSelf: false,
        vector: 15n,
      }),
    ).toStrictEqual({ esr: 0x623a_3016, x: [0x0004_1003_0f02_8001n] });
  });
  it("SendIPI to all → IRM (bit 40) with INTID in 27:24", () => {
    expect(
      encodeAarch64({
        kind: "SendIPI",
        targetCpu: 0n,
        targetCpuAux: 0n,
        sendToAll: true,
        sendToSelf: false,
        vector: 3n,
      }),
    ).toStrictEqual({ esr: 0x623a_3016, x: [0x100_0300_0000n] });
  });
  it("Halt → WFI 0x06000000, Nothing → WFE 0x06000001", () => {
    expect(encodeAarch64({ kind: "Halt" })).toStrictEqual({ esr: 0x0600_0000 });
    expect(encodeAarch64({ kind: "Nothing" })).toStrictEqual({ esr: 0x0600_0001 });
  });
  it("CpuUp / CpuDown / SystemDown → hvc #0 (0x5A000000) with PSCI IDs", () => {
    expect(
      encodeAarch64({ kind: "CpuUp", targetCpu: 1n, entryPoint: 0x8000n as never, arg: 2n }),
    ).toStrictEqual({ esr: 0x5a00_0000, x: [0xc400_0003n, 1n, 0x8000n, 2n] });
    expect(encodeAarch64({ kind: "CpuDown", state: 0n })).toStrictEqual({
      esr: 0x5a00_0000,
      x: [0x8400_0002n],
    });
    expect(encodeAarch64({ kind: "SystemDown" })).toStrictEqual({
      esr: 0x5a00_0000,
      x: [0x8400_0008n],
    });
  });
  it("NestedPageFault READ / WRITE / EXECUTE → permission fault L3 (0x0F) data / instruction abort", () => {
    expect(
      encodeAarch64({ kind: "NestedPageFault", addr: 0x2000n as never, accessFlags: 1 as never })
        .esr,
    ).toBe(0x9200_000f);
    expect(
      encodeAarch64({ kind: "NestedPageFault", addr: 0x2000n as never, accessFlags: 2 as never })
        .esr,
    ).toBe(0x9200_004f);
    expect(
      encodeAarch64({ kind: "NestedPageFault", addr: 0x2000n as never, accessFlags: 4 as never })
        .esr,
    ).toBe(0x8200_000f);
  });
  it("SysRegRead CNTPCT_EL0 into x9 → 0x6232F921", () => {
    // 0x62000000 | 0x32F800 | 9<<5 (0x120) | read 1 = 0x6232F921
    expect(encodeAarch64({ kind: "SysRegRead", addr: 0x32_f800 as never, reg: 9 })).toStrictEqual({
      esr: 0x6232_f921,
    });
  });
});

describe("encodeAarch64: the boundary (exact agreement with canEncodeAarch64)", () => {
  it("rejects what AArch64 cannot express", () => {
    unrepresentable({ kind: "IoRead", port: 0x3f8 as never, width: 1 }, "I/O port");
    unrepresentable({ kind: "IoWrite", port: 0x3f8 as never, width: 1, data: 0n }, "I/O port");
    unrepresentable({ kind: "FailEntry", hardwareEntryFailureReason: 33n }, "VM entry");
    unrepresentable(
      { kind: "MmioRead", addr: 0n as never, width: 8, reg: 1, regWidth: 4, signedExt: false },
      "8 bytes into a 4-byte register",
    );
    unrepresentable(
      { kind: "MmioRead", addr: 0n as never, width: 1, reg: 1, regWidth: 2, signedExt: false },
      "regWidth 2",
    );
    unrepresentable(
      { kind: "MmioWrite", addr: 0n as never, width: 1, data: 0x100n },
      "does not fit",
    );
    unrepresentable({ kind: "MmioWrite", addr: (1n << 56n) as never, width: 1, data: 0n }, "2^56");
    unrepresentable(
      { kind: "NestedPageFault", addr: 0n as never, accessFlags: 3 as never },
      "exactly one",
    );
    unrepresentable(
      { kind: "NestedPageFault", addr: 0n as never, accessFlags: 0 as never },
      "exactly one",
    );
    unrepresentable({ kind: "CpuDown", state: 1n }, "CPU_OFF");
    unrepresentable({ kind: "SysRegRead", addr: 0x830 as never, reg: 0 }, "0x3FFC1E");
    unrepresentable({ kind: "SysRegWrite", addr: 0x3a_3016 as never, value: 0n }, "SendIPI");
    unrepresentable({ kind: "SysRegWrite", addr: 0x1 as never, value: 0n }, "0x3FFC1E");
    unrepresentable(
      { kind: "Hypercall", nr: 0x1_8400_0003n, args: [0n, 0n, 0n, 0n, 0n, 0n] },
      "PSCI",
    );
    const ipi = {
      kind: "SendIPI",
      targetCpu: 0n,
      targetCpuAux: 1n,
      sendToAll: false,
      sendToSelf: false,
      vector: 1n,
    } as const;
    unrepresentable({ ...ipi, sendToSelf: true }, "self");
    unrepresentable({ ...ipi, vector: 16n }, "SGI number");
    unrepresentable({ ...ipi, targetCpu: 1n }, "Aff3");
    unrepresentable({ ...ipi, targetCpu: 0x1_0000_0000n }, "Aff3");
    unrepresentable({ ...ipi, targetCpuAux: 0x1_0001n }, "TargetList");
    unrepresentable({ ...ipi, targetCpuAux: 0x1_8000n }, "TargetList");
    unrepresentable({ ...ipi, sendToAll: true }, "sendToAll");
  });
  it("rejects a non-exit with invalid-argument, and canEncode says false", () => {
    expect(canEncodeAarch64({ kind: "Halt", extra: 1 })).toBe(false);
    expect(canEncodeAarch64(null)).toBe(false);
    expect(() => encodeAarch64({ kind: "Bogus" } as never)).toThrow(VmExitError);
  });
  it("canEncodeAarch64 agrees with encodeAarch64 on any exit", () => {
    fc.assert(
      fc.property(vmExit(), (e) => {
        let ok = true;
        try {
          encodeAarch64(e);
        } catch (err) {
          expect(err).toBeInstanceOf(VmExitError);
          expect((err as VmExitError).code).toBe("unrepresentable");
          ok = false;
        }
        expect(canEncodeAarch64(e)).toBe(ok);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("round trip", () => {
  it("decodeAarch64(encodeAarch64(e)).exit deep-equals e for every expressible exit", () => {
    fc.assert(
      fc.property(aarch64ExpressibleExit(), (e) => {
        expect(canEncodeAarch64(e)).toBe(true);
        expect(decodeAarch64(encodeAarch64(e)).exit).toStrictEqual(e);
      }),
      { numRuns: 3000 },
    );
  });
  it("every expressible exit of vmExit() round-trips too", () => {
    fc.assert(
      fc.property(vmExit(), (e) => {
        fc.pre(canEncodeAarch64(e));
        const back = decodeAarch64(encodeAarch64(e)).exit;
        expect(isVmExit(back)).toBe(true);
        expect(back).toStrictEqual(e);
      }),
      { numRuns: 2000 },
    );
  });
});
