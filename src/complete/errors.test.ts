import { describe, expect, it } from "vitest";
import { halt, ioRead, mmioRead, sysRegRead } from "../core/constructors";
import { VmExitError } from "../core/error";
import type { MmioReadExit } from "../core/exit";
import { completeMmioRead, completeSysRegRead, instructionLength } from "./complete";
import { completeIoRead } from "./x86";

function rejects(f: () => unknown, code: string, field: string, ...words: string[]): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VmExitError);
    expect((e as VmExitError).code).toBe(code);
    expect((e as VmExitError).field).toBe(field);
    for (const w of words) expect((e as VmExitError).message).toContain(w);
    return;
  }
  throw new Error("expected a VmExitError");
}

const load = mmioRead({ addr: 0x1000, width: 4, reg: 1, regWidth: 8, signedExt: false });
const forged = (fields: Partial<Record<keyof MmioReadExit, unknown>>) =>
  ({ ...load, ...fields }) as MmioReadExit;

describe("rejections name the field and the value", () => {
  it("an unknown arch", () => {
    rejects(
      () => completeMmioRead("mips" as never, load, 0),
      "invalid-argument",
      "arch",
      '"mips"',
      "x86-vmx",
    );
    rejects(
      () => completeSysRegRead(3 as never, sysRegRead({ addr: 0, reg: 0 }), 0),
      "invalid-argument",
      "arch",
      "3",
    );
    rejects(
      () => instructionLength("toString" as never, { esr: 0 } as never),
      "invalid-argument",
      "arch",
    );
  });

  it("an exit of another kind", () => {
    for (const arch of ["x86-vmx", "aarch64", "riscv"] as const) {
      rejects(
        () => completeMmioRead(arch, halt() as never, 0),
        "invalid-argument",
        "exit.kind",
        '"Halt"',
      );
      rejects(() => completeMmioRead(arch, null as never, 0), "invalid-argument", "exit", "null");
      rejects(
        () => completeSysRegRead(arch, load as never, 0),
        "invalid-argument",
        "exit.kind",
        '"MmioRead"',
      );
    }
    rejects(() => completeIoRead(load as never, 0, 0), "invalid-argument", "exit.kind", "IoRead");
  });

  it("bad exit fields", () => {
    rejects(
      () => completeMmioRead("x86-vmx", forged({ width: 3 }), 0, 0),
      "invalid-argument",
      "exit.width",
      "3",
    );
    rejects(
      () => completeMmioRead("x86-vmx", forged({ reg: 20 }), 0, 0),
      "invalid-argument",
      "exit.reg",
      "20",
    );
    rejects(
      () => completeMmioRead("x86-vmx", forged({ reg: 1.5 }), 0, 0),
      "invalid-argument",
      "exit.reg",
      "1.5",
    );
    rejects(
      () => completeMmioRead("x86-vmx", forged({ regWidth: 16 }), 0, 0),
      "invalid-argument",
      "exit.regWidth",
      "16",
    );
    rejects(
      () => completeMmioRead("x86-vmx", forged({ signedExt: 1 }), 0, 0),
      "invalid-argument",
      "exit.signedExt",
      "1",
    );
    // AH…BH are byte registers
    rejects(
      () => completeMmioRead("x86-vmx", forged({ reg: 17, regWidth: 2 }), 0, 0),
      "invalid-argument",
      "exit.regWidth",
      "CH",
    );
    rejects(
      () => completeMmioRead("aarch64", forged({ reg: 32 }), 0),
      "invalid-argument",
      "exit.reg",
      "32",
    );
    // AArch64 and RISC-V registers are 32 or 64 bits wide
    rejects(
      () => completeMmioRead("aarch64", forged({ regWidth: 2 }), 0),
      "invalid-argument",
      "exit.regWidth",
      "4 or 8",
    );
    rejects(
      () => completeMmioRead("riscv", forged({ regWidth: 1 }), 0),
      "invalid-argument",
      "exit.regWidth",
      "4 or 8",
    );
    rejects(
      () => completeSysRegRead("riscv", { kind: "SysRegRead", addr: 0xc01, reg: 32 } as never, 0),
      "invalid-argument",
      "exit.reg",
      "32",
    );
    rejects(
      () => completeIoRead({ kind: "IoRead", port: 0x10000, width: 1 } as never, 0, 0),
      "invalid-argument",
      "exit.port",
      "65536",
    );
    rejects(
      () => completeIoRead({ kind: "IoRead", port: 1, width: 3 } as never, 0, 0),
      "invalid-argument",
      "exit.width",
      "3",
    );
  });

  it("bad data, old and values", () => {
    for (const arch of ["x86-vmx", "aarch64", "riscv"] as const) {
      rejects(() => completeMmioRead(arch, load, -1), "invalid-argument", "data", "-1");
      rejects(
        () => completeMmioRead(arch, load, 2n ** 64n),
        "out-of-range",
        "data",
        "0x10000000000000000",
      );
      rejects(() => completeMmioRead(arch, load, "1" as never), "invalid-argument", "data", '"1"');
      rejects(
        () => completeSysRegRead(arch, sysRegRead({ addr: 1, reg: 0 }), -1n),
        "out-of-range",
        "value",
        "-0x1",
      );
    }
    const wide = forged({ width: 8, regWidth: 8 });
    for (const arch of ["x86-vmx", "aarch64", "riscv"] as const) {
      rejects(() => completeMmioRead(arch, wide, -1), "invalid-argument", "data", "-1");
      rejects(() => completeMmioRead(arch, wide, 2n ** 64n), "out-of-range", "data");
    }
    for (const arch of ["x86-vmx", "aarch64", "riscv"] as const) {
      rejects(() => completeMmioRead(arch, wide, 1, -1n), "out-of-range", "old", "-0x1");
      rejects(
        () => completeMmioRead(arch, load, 1, "0" as never),
        "invalid-argument",
        "old",
        '"0"',
      );
    }
    // old is checked whenever it is given, also where the result does not depend on it
    rejects(() => completeMmioRead("x86-vmx", load, 0, -5), "invalid-argument", "old", "-5");
    rejects(
      () => completeMmioRead("x86-vmx", forged({ width: 1, regWidth: 1 }), 0, 1.5),
      "invalid-argument",
      "old",
      "1.5",
    );
    rejects(() => completeIoRead(ioRead({ port: 1, width: 4 }), 0, -1n), "out-of-range", "oldRax");
    rejects(
      () => completeIoRead(ioRead({ port: 1, width: 1 }), 2n ** 64n, 0),
      "out-of-range",
      "data",
    );
  });
});
