import { describe, expectTypeOf, it } from "vitest";
import type { Arch } from "../core/decoded";
import type { IoReadExit, MmioReadExit, SysRegReadExit, VmExit } from "../core/exit";
import { completeMmioRead, completeSysRegRead, instructionLength } from "./complete";
import type { RegisterWrite, X86MsrWrite } from "./types";
import { completeIoRead } from "./x86";

type Equal<X, Y> =
  (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

declare const read: MmioReadExit;
declare const sys: SysRegReadExit;
declare const io: IoReadExit;
declare const exit: VmExit;
declare const arch: Arch;

describe("completion types", () => {
  it("x86 reads always write a register; AArch64 and RISC-V may discard (XZR, x0)", () => {
    const x86 = completeMmioRead("x86-vmx", read, 1n, 2n);
    const arm = completeMmioRead("aarch64", read, 1n);
    const rv = completeMmioRead("riscv", read, 1);
    type _ = [
      Expect<Equal<typeof x86, RegisterWrite>>,
      Expect<Equal<typeof arm, RegisterWrite | undefined>>,
      Expect<Equal<typeof rv, RegisterWrite | undefined>>,
      Expect<Equal<ReturnType<typeof completeMmioRead<Arch>>, RegisterWrite | undefined>>,
    ];
    expectTypeOf(completeMmioRead(arch, read, 0)).toEqualTypeOf<RegisterWrite | undefined>();
  });

  it("RDMSR gives EDX:EAX, MRS and CSR reads a register write", () => {
    type _ = [
      Expect<Equal<ReturnType<typeof completeSysRegRead<"x86-vmx">>, X86MsrWrite>>,
      Expect<Equal<ReturnType<typeof completeSysRegRead<"aarch64">>, RegisterWrite | undefined>>,
      Expect<Equal<ReturnType<typeof completeSysRegRead<"riscv">>, RegisterWrite | undefined>>,
    ];
    expectTypeOf(completeSysRegRead("x86-vmx", sys, 0n).rdx).toEqualTypeOf<bigint>();
    expectTypeOf(completeIoRead(io, 0, 0)).toEqualTypeOf<bigint>();
  });

  it("takes only the exit kind it completes, narrowed first", () => {
    // @ts-expect-error a VmExit must be narrowed to MmioRead first
    completeMmioRead("x86-vmx", exit, 0);
    // @ts-expect-error an IoRead is completed by completeIoRead
    completeMmioRead("x86-vmx", io, 0);
    // @ts-expect-error a SysRegRead is not an MmioRead
    completeSysRegRead("riscv", read, 0);
    // @ts-expect-error data is a bigint or a number
    completeMmioRead("riscv", read, "0x10");
    // @ts-expect-error not an architecture
    completeMmioRead("mips", read, 0);
    if (exit.kind === "MmioRead")
      expectTypeOf(completeMmioRead("aarch64", exit, 0)).not.toBeNever();
  });

  it("checks the snapshot against the architecture", () => {
    expectTypeOf(instructionLength("aarch64", { esr: 0x93c08007 })).toEqualTypeOf<number>();
    instructionLength("x86-vmx", { exitReason: 12, instructionLength: 1 }, { cpuMode: 32 });
    instructionLength("riscv", { scause: 10 });
    // @ts-expect-error an ESR is not a VMX snapshot
    instructionLength("x86-vmx", { esr: 0x93c08007 });
    // @ts-expect-error cpuMode is 16, 32 or 64
    instructionLength("x86-vmx", { exitReason: 12 }, { cpuMode: 8 });
  });
});
