// The hypercall register conventions of VMCALL (VMX) and VMMCALL (SVM): which registers hold the
// number and the six arguments, for decoding and encoding alike.
import type { ExitOf } from "../core/exit";
import { hex } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { X86HypercallAbi } from "./options";
import { reg64Of, type X86Regs } from "./regs";
import { Unencodable } from "./unencodable";

/**
 * The `Hypercall` a VMCALL / VMMCALL makes under `abi`: nr = RAX; axvisor args = RDI, RSI, RDX,
 * RCX, R8, R9; kvm args = RBX, RCX, RDX, RSI, 0, 0. `exitName` names the exit in a
 * `missing-register` error.
 */
export function hypercallExit(
  regs: X86Regs | undefined,
  abi: X86HypercallAbi,
  exitName: string,
): ExitOf<"Hypercall"> {
  const nr = reg64Of(regs?.rax, "rax", exitName);
  if (abi === "kvm") {
    return unchecked.hypercall(nr, [
      reg64Of(regs?.rbx, "rbx", exitName),
      reg64Of(regs?.rcx, "rcx", exitName),
      reg64Of(regs?.rdx, "rdx", exitName),
      reg64Of(regs?.rsi, "rsi", exitName),
      0n,
      0n,
    ]);
  }
  return unchecked.hypercall(nr, [
    reg64Of(regs?.rdi, "rdi", exitName),
    reg64Of(regs?.rsi, "rsi", exitName),
    reg64Of(regs?.rdx, "rdx", exitName),
    reg64Of(regs?.rcx, "rcx", exitName),
    reg64Of(regs?.r8, "r8", exitName),
    reg64Of(regs?.r9, "r9", exitName),
  ]);
}

/** The registers that make `exit` under `abi`, or why the ABI cannot carry it (kvm: args[4], args[5] ≠ 0). */
export function hypercallRegs(
  exit: ExitOf<"Hypercall">,
  abi: X86HypercallAbi,
): X86Regs | Unencodable {
  const [a0, a1, a2, a3, a4, a5] = exit.args;
  if (abi === "kvm") {
    if (a4 !== 0n || a5 !== 0n) {
      return new Unencodable(
        "args",
        `the kvm ABI passes 4 arguments, got args[4] ${hex(a4)}, args[5] ${hex(a5)}`,
      );
    }
    return { rax: exit.nr, rbx: a0, rcx: a1, rdx: a2, rsi: a3 };
  }
  return { rax: exit.nr, rdi: a0, rsi: a1, rdx: a2, rcx: a3, r8: a4, r9: a5 };
}
