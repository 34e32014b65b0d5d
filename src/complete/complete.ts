import type { DecodeOptionsOf, SnapshotOf } from "../codecs";
import type { Arch, RegValue } from "../core/decoded";
import type { MmioReadExit, SysRegReadExit } from "../core/exit";
import { completionOf } from "./table";
import type { ReadCompletion, SysRegReadCompletion } from "./types";

/**
 * The register write a `MmioRead` makes once the device returned `data` (its low `exit.width`
 * bytes are used): the value sign- or zero-extended per `signedExt` to `regWidth`, then written
 * the way `arch` writes that register. x86 8/16-bit destinations keep the other bits of `old`
 * (the register's value before; AH/CH/DH/BH = 16–19 write bits 15:8 of RAX/RCX/RDX/RBX) and
 * 32-bit ones clear bits 63:32; AArch64 W destinations clear bits 63:32; RISC-V extends to XLEN.
 * `reg` in the result is the register written (on x86 0–15), `value` its whole new content;
 * `undefined` when the destination is XZR or x0. `old` is needed only by x86 8/16-bit writes.
 * @example
 * completeMmioRead("x86-vmx", exit, 0x80n, 0x1111_1111_1111_1111n);
 * // exit = mov ah, [mem] (reg 16, width 1): { reg: 0, value: 0x1111_1111_1111_8011n }
 * completeMmioRead("aarch64", exit, 0x80n); // ldrsb w3: { reg: 3, value: 0xffff_ff80n }
 */
export function completeMmioRead<A extends Arch>(
  arch: A,
  exit: MmioReadExit,
  data: RegValue,
  old?: RegValue,
): ReadCompletion<A> {
  return completionOf(arch).mmioRead(exit, data, old);
}

/**
 * The register writes a `SysRegRead` makes once the system register read as `value`: on x86
 * RDMSR's `{ rax, rdx }` (EDX:EAX, upper halves cleared); on AArch64 (MRS) and RISC-V (CSR
 * reads) `{ reg, value }`, `undefined` when the destination is XZR or x0.
 * @example completeSysRegRead("x86-vmx", exit, 0xfee0_0900n) // { rax: 0xfee00900n, rdx: 0n }
 */
export function completeSysRegRead<A extends Arch>(
  arch: A,
  exit: SysRegReadExit,
  value: RegValue,
): SysRegReadCompletion<A> {
  return completionOf(arch).sysRegRead(exit, value);
}

/**
 * The bytes to add to the PC to step over the instruction whose exit was handled: VMX's
 * VM-exit instruction length (for EPT and APIC-access exits, which have none, the length of the
 * MOV in `instructionBytes`, decoded in `options.cpuMode`); AArch64's IL (2 or 4; 0 after SVC /
 * HVC, whose return address is already past them, and after interrupts); RISC-V 2 or 4 from
 * `htinst`, `stval` or `instruction` (4 for ECALL, 0 after interrupts). `missing-register` when
 * the snapshot cannot tell.
 * @example instructionLength("aarch64", { esr: 0x93c08007 }) // 4 (IL = 1)
 */
export function instructionLength<A extends Arch>(
  arch: A,
  snapshot: SnapshotOf<A>,
  options?: DecodeOptionsOf<A>,
): number {
  return completionOf(arch).instructionLength(snapshot, options);
}
