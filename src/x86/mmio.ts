// The MMIO path every x86 decoder shares: the guest's instruction bytes at RIP, decoded by the
// MOV-family codec, turn a nested-paging fault (or an APIC access) into `MmioRead` / `MmioWrite`;
// and, for the encoders, the instruction and registers that make a given MMIO exit.
import type { IsMmio } from "../core/decoded";
import type { ExitOf, VmExit } from "../core/exit";
import { ACCESS_WIDTH_LOW_MASKS } from "../core/scalars/access-width";
import { hex, joinU64 } from "../core/u64";
import * as unchecked from "../core/unchecked";
import type { X86CpuMode, X86MemAccess, X86Vendor } from "./insn/access";
import {
  checkX86InsnBytes,
  decodeX86MemAccessFields,
  sharedX86MemAccessOf,
  X86_MEM_ACCESS_FIELDS,
} from "./insn/decode";
import { planX86MemAccess, x86MemBaseRegister } from "./insn/encode";
import type { X86MovForm } from "./insn/forms";
import { reg32Of, reg64Of, X86_REG_NAMES, type X86Reg, type X86Regs } from "./regs";
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
  const high = reg >= 16;
  const name = X86_REG_NAMES[high ? reg - 16 : reg] as X86Reg;
  const v = regs === undefined ? undefined : regs[name];
  // a whole register is the value itself (checked); a part of one is cut from bits 31:0 (kept
  // small, so that the fault decoders inline it)
  if (width === 8 && !high) return reg64Of(v, name, exitName);
  const lo = reg32Of(v, name, exitName);
  return joinU64(
    high ? (lo >>> 8) & 0xff : (lo & (ACCESS_WIDTH_LOW_MASKS[width] as number)) >>> 0,
    0,
  );
}

/**
 * The `MmioRead` / `MmioWrite` at `addr` that the guest's instruction bytes describe, when they
 * decode (in `cpuMode`, as `vendor`'s processors execute them) to a supported MOV form that goes in the `expected` direction (any
 * direction when `undefined`) and `isMmio(addr)`, if given, agrees; otherwise `undefined`;
 * `MMIO_FINDINGS` then says what it found and why not (the instruction only when `instruction`:
 * a decoder that builds no cause does not build it either). `bytes` are the
 * snapshot's `instructionBytes` (checked here); a store's source register is read from `regs`
 * (`exitName` names the exit in a `missing-register` error).
 */
export function mmioExit(
  bytes: X86Bytes | undefined,
  cpuMode: X86CpuMode,
  addr: bigint,
  expected: "read" | "write" | undefined,
  regs: X86Regs | undefined,
  isMmio: IsMmio | undefined,
  exitName: string,
  vendor: X86Vendor,
  instruction: boolean,
): VmExit | undefined {
  // kept small, so that the engine inlines it: a fault without bytes costs no call
  if (bytes === undefined) return found(undefined, "no instructionBytes to decode the access from");
  return mmioExitOf(bytes, cpuMode, addr, expected, regs, isMmio, exitName, vendor, instruction);
}

/** `mmioExit` of given bytes. */
function mmioExitOf(
  bytes: X86Bytes,
  cpuMode: X86CpuMode,
  addr: bigint,
  expected: "read" | "write" | undefined,
  regs: X86Regs | undefined,
  isMmio: IsMmio | undefined,
  exitName: string,
  vendor: X86Vendor,
  instruction: boolean,
): VmExit | undefined {
  const n = checkX86InsnBytes(bytes, "instructionBytes");
  const why = decodeX86MemAccessFields(bytes, n, cpuMode, vendor);
  if (why !== undefined) return found(undefined, why);
  // copied out before `isMmio` (the caller's code, which may decode again) runs
  const f = X86_MEM_ACCESS_FIELDS;
  const direction = (f.form as X86MovForm).direction;
  const signedExt = (f.form as X86MovForm).signedExt;
  const width = f.width;
  const reg = f.reg;
  const regWidth = f.regWidth;
  const immediate = f.immediate;
  const access = instruction ? sharedX86MemAccessOf(bytes) : undefined;
  if (expected !== undefined && direction !== expected) {
    return found(access, directionMismatch(direction, expected));
  }
  if (isMmio !== undefined && !isMmio(addr)) return found(access, refusedByIsMmio(addr));
  found(access, undefined);
  if (direction === "read") return unchecked.mmioRead(addr, width, reg, regWidth, signedExt);
  const data = reg < 0 ? immediate : storeData(regs, width, reg, exitName);
  return unchecked.mmioWrite(addr, width, data);
}

// The reasons an access is no MMIO exit, built out of line: `mmioExitOf` stays small enough for
// the engine to inline it, with what it calls, into the fault decoders.
function directionMismatch(direction: "read" | "write", expected: "read" | "write"): string {
  return `the instruction ${direction}s memory but the exit reports a ${expected}`;
}

function refusedByIsMmio(addr: bigint): string {
  return `options.isMmio(${hex(addr)}) returned false`;
}

/** A MOV that makes an MMIO exit: its bytes, the registers it reads, and the linear address it accesses. */
export interface MmioInstruction {
  /** The instruction bytes at RIP. */
  readonly bytes: Uint8Array;
  /** The registers the instruction reads: the address register, and a store's data in RAX. */
  readonly regs: X86Regs;
  /** The guest linear address accessed (what the VMCS guest linear address field would hold). */
  readonly linearAddress: bigint;
}

/** 2^47 − 1: a lower-half canonical address with 4-level paging. */
const CANONICAL_LOW = 0x7fff_ffff_ffffn;

/**
 * A linear address for an access at `gpa` in `cpuMode`, with the GPA's page offset: 64-bit mode a
 * canonical lower-half address (the GPA itself below 2^47), 32-bit mode the GPA's low 32 bits,
 * 16-bit mode the GPA's low 32 bits with the 16-bit offset in the base register (the segment base
 * holding the rest).
 */
function linearAddressFor(gpa: bigint, cpuMode: X86CpuMode): bigint {
  return cpuMode === 64 ? gpa & CANONICAL_LOW : gpa & 0xffff_ffffn;
}

/**
 * The MOV (in `cpuMode`, as `vendor`'s processors decode it) whose decode is `exit`, with the
 * registers it reads, or why there is none. The memory operand is [RSI] (or [RDI] when the register operand is RSI), the address
 * register holding a linear address for `exit.addr`; a store writes its data from RAX, a load goes
 * to `exit.reg`: the address and the data are never in one register.
 */
export function mmioInstruction(
  exit: ExitOf<"MmioRead"> | ExitOf<"MmioWrite">,
  cpuMode: X86CpuMode,
  vendor: X86Vendor,
): MmioInstruction | Unencodable {
  const read = exit.kind === "MmioRead";
  if (read && exit.reg > 19) {
    return new Unencodable("reg", `register ${exit.reg} is not an x86 register (0–19)`);
  }
  if (!read && exit.data > WIDTH_MAX[exit.width]) {
    return new Unencodable("data", `data ${hex(exit.data)} does not fit in ${exit.width} byte(s)`);
  }
  const bytes = planX86MemAccess(
    read
      ? {
          direction: "read",
          width: exit.width,
          reg: exit.reg,
          regWidth: exit.regWidth,
          signedExt: exit.signedExt,
        }
      : { direction: "write", width: exit.width, reg: 0, regWidth: exit.width, signedExt: false },
    cpuMode,
    vendor,
  );
  if (!(bytes instanceof Uint8Array)) return rejected(exit, bytes, cpuMode);
  const linearAddress = linearAddressFor(exit.addr, cpuMode);
  const base = X86_REG_NAMES[x86MemBaseRegister(read ? exit.reg : 0)] as X86Reg;
  // 16-bit addressing takes the offset from SI / DI; the segment base holds the rest
  const address = cpuMode === 16 ? linearAddress & 0xffffn : linearAddress;
  const regs: X86Regs = read ? { [base]: address } : { rax: exit.data, [base]: address };
  return { bytes, regs, linearAddress };
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
