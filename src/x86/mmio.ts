// The MMIO path every x86 decoder shares: the guest's instruction bytes at RIP, decoded by the
// MOV-family codec, turn a nested-paging fault (or an APIC access) into `MmioRead` / `MmioWrite`;
// and, for the encoders, the instruction and registers that make a given MMIO exit.
import type { IsMmio } from "../core/decoded";
import type { ExitOf, VmExit } from "../core/exit";
import { hex, joinU64 } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { X86CpuMode, X86MemAccess } from "./insn/access";
import { checkX86InsnBytes, decodeCheckedX86MemAccess } from "./insn/decode";
import { planX86MemAccess } from "./insn/encode";
import { regHalves, X86_REG_NAMES, type X86Reg, type X86Regs } from "./regs";
import { Unencodable } from "./unencodable";

/** Guest instruction bytes as a snapshot carries them. */
export type X86Bytes = Uint8Array | readonly number[];

/** What the MMIO path found: the decoded instruction and why the access is not MMIO. */
export interface MmioFindings {
  /** The decoded MOV-family instruction. */
  instruction: X86MemAccess | undefined;
  /** Why the access did not become `MmioRead` / `MmioWrite`. */
  notMmio: string | undefined;
}

/**
 * What the last `mmioExit` found, for the cause; read it right after the call. It is written only
 * after `isMmio` (the caller's code) has run, so a decode that `isMmio` starts cannot mix its
 * findings in.
 */
export const MMIO_FINDINGS: MmioFindings = { instruction: undefined, notMmio: undefined };

function found(instruction: X86MemAccess | undefined, notMmio: string | undefined): undefined {
  MMIO_FINDINGS.instruction = instruction;
  MMIO_FINDINGS.notMmio = notMmio;
  return undefined;
}

/** The source register of a store, masked to the access width (16–19 = AH, CH, DH, BH). */
function storeData(
  regs: X86Regs | undefined,
  width: 1 | 2 | 4 | 8,
  reg: number,
  exitName: string,
): bigint {
  if (reg >= 16) {
    const h = regHalves(regs, X86_REG_NAMES[reg - 16] as X86Reg, exitName);
    return joinU64((h.lo >>> 8) & 0xff, 0);
  }
  const h = regHalves(regs, X86_REG_NAMES[reg] as X86Reg, exitName);
  switch (width) {
    case 1:
      return joinU64(h.lo & 0xff, 0);
    case 2:
      return joinU64(h.lo & 0xffff, 0);
    case 4:
      return joinU64(h.lo, 0);
    default:
      return joinU64(h.lo, h.hi);
  }
}

/**
 * The `MmioRead` / `MmioWrite` at `addr` that the guest's instruction bytes describe, when they
 * decode (in `cpuMode`) to a supported MOV form that goes in the `expected` direction (any
 * direction when `undefined`) and `isMmio(addr)`, if given, agrees; otherwise `undefined`;
 * `MMIO_FINDINGS` then says what it found and why not. `bytes` are the snapshot's `instructionBytes` (checked here); a
 * store's source register is read from `regs` (`exitName` names the exit in a `missing-register`
 * error).
 */
export function mmioExit(
  bytes: X86Bytes | undefined,
  cpuMode: X86CpuMode,
  addr: bigint,
  expected: "read" | "write" | undefined,
  regs: X86Regs | undefined,
  isMmio: IsMmio | undefined,
  exitName: string,
): VmExit | undefined {
  if (bytes === undefined) return found(undefined, "no instructionBytes to decode the access from");
  const n = checkX86InsnBytes(bytes, "instructionBytes");
  const access = decodeCheckedX86MemAccess(bytes, n, cpuMode);
  if ("unsupported" in access) return found(undefined, access.unsupported);
  if (expected !== undefined && access.direction !== expected) {
    return found(
      access,
      `the instruction ${access.direction}s memory but the exit reports a ${expected}`,
    );
  }
  if (isMmio !== undefined && !isMmio(addr)) {
    return found(access, `options.isMmio(${hex(addr)}) returned false`);
  }
  found(access, undefined);
  if (access.direction === "read") {
    return unchecked.mmioRead(
      addr,
      access.width,
      access.reg as number,
      access.regWidth,
      access.signedExt,
    );
  }
  const data =
    access.reg === undefined
      ? (access.immediate as bigint)
      : storeData(regs, access.width, access.reg, exitName);
  return unchecked.mmioWrite(addr, access.width, data);
}

/** A MOV that makes an MMIO exit: its bytes, the registers it reads, and the linear address it accesses. */
export interface MmioInstruction {
  /** The instruction bytes at RIP. */
  readonly bytes: Uint8Array;
  /** The registers the instruction reads (the data of a store). */
  readonly regs: X86Regs;
}

/**
 * The MOV (in `cpuMode`) whose decode is `exit`, with the registers it reads, or why there is
 * none: a store writes its data from RAX; a load goes to `exit.reg`.
 */
export function mmioInstruction(
  exit: ExitOf<"MmioRead"> | ExitOf<"MmioWrite">,
  cpuMode: X86CpuMode,
): MmioInstruction | Unencodable {
  if (exit.kind === "MmioRead") {
    if (exit.reg > 19) {
      return new Unencodable("reg", `register ${exit.reg} is not an x86 register (0–19)`);
    }
    const bytes = planX86MemAccess(
      {
        direction: "read",
        width: exit.width,
        reg: exit.reg,
        regWidth: exit.regWidth,
        signedExt: exit.signedExt,
      },
      cpuMode,
    );
    if (!(bytes instanceof Uint8Array)) return rejected(exit, bytes, cpuMode);
    return { bytes, regs: {} };
  }
  if (exit.data > WIDTH_MAX[exit.width]) {
    return new Unencodable("data", `data ${hex(exit.data)} does not fit in ${exit.width} byte(s)`);
  }
  const bytes = planX86MemAccess(
    { direction: "write", width: exit.width, reg: 0, regWidth: exit.width, signedExt: false },
    cpuMode,
  );
  if (!(bytes instanceof Uint8Array)) return rejected(exit, bytes, cpuMode);
  return { bytes, regs: { rax: exit.data } };
}

/** Bytes 1/2/4/8 → the largest value that fits. */
const WIDTH_MAX = { 1: 0xffn, 2: 0xffffn, 4: 0xffff_ffffn, 8: 0xffff_ffff_ffff_ffffn } as const;

function rejected(
  exit: VmExit,
  r: { readonly field: string; readonly message: string },
  cpuMode: X86CpuMode,
): Unencodable {
  return new Unencodable(
    r.field in exit ? r.field : "width",
    `no MOV form in ${cpuMode}-bit mode (${r.message})`,
  );
}
