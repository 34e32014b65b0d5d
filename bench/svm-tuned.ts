// The tuned SVM decoder: the best plain JS for the exits of the bench's mix, the practical limit of
// a decoder in JS. It validates what the library validates on these paths (the snapshot's type,
// EXITCODE present, a u64 and a defined code, `regs` an object, EXITINFO1/2 u64s and present where
// the exit needs them, EXITINTINFO and its error code u32s, the IOIO operand size one-hot, MSR
// EXITINFO1 0 or 1, the interrupt vector 0…255, the instruction bytes, every register it reads
// present and a u64), splits each 64-bit value once into 32-bit halves through one
// BigUint64Array/Uint32Array buffer, cuts fields with number operations and writes the exits as
// object literals. Exit only; exit codes outside the mix throw. The common MOV forms (an optional
// REX, then 8B / 89 / 0F B6 / C7 /0 with ModRM mod 00 and a base register) are decoded inline; any
// other bytes go to the library's MOV decoder, so every instruction decodes as the library does.

import { VmExitError } from "../src/core/error";
import type { VmExit } from "../src/core/exit";
import type { AccessWidth } from "../src/core/scalars/access-width";
import type { GuestPhysAddr } from "../src/core/scalars/guest-phys-addr";
import type { Port } from "../src/core/scalars/port";
import type { SysRegAddr } from "../src/core/scalars/sys-reg-addr";
import { decodeX86MemAccess } from "../src/x86/insn/decode";
import { X86_REG_NAMES } from "../src/x86/regs";
import { SVM_EXIT_CODE_NAMES } from "../src/x86/svm/codes";
import type { SvmSnapshot } from "../src/x86/svm/snapshot";
import { join, missing, numberU64, SMALL, split, splitHi, TWO_64, u64 } from "./tuned-u64";

type Reg = bigint | number | undefined;
type Regs = Readonly<Record<string, Reg>>;

/** IOIO EXITINFO1 bits 6:4 (one-hot) → operand size; 0 where hardware writes no such value. */
const IO_SIZES = [0, 1, 2, 0, 4, 0, 0, 0] as const;
const IO_MASKS = [0, 0xff, 0xffff, 0, 0xffff_ffff];
const NAMES: readonly string[] = X86_REG_NAMES;
const FIELDS: readonly string[] = X86_REG_NAMES.map((r) => `regs.${r}`);

function bad(field: string): never {
  throw new VmExitError("invalid-argument", `${field} is not valid`, field);
}

function reserved(field: string): never {
  throw new VmExitError("reserved-encoding", `${field} is a reserved encoding`, field);
}

/** An optional u64 field: checked when given. */
function checkU64(v: unknown, field: string): void {
  if (v !== undefined && !(typeof v === "bigint" && v >= 0n && v < TWO_64)) numberU64(v, field);
}

/** EXITINTINFO and its error code: u32 numbers when given. */
function checkIntInfo(s: SvmSnapshot): void {
  const info = s.exitIntInfo;
  if (info !== undefined && !(typeof info === "number" && info >>> 0 === info)) bad("exitIntInfo");
  const err = s.exitIntInfoErrorCode;
  if (err !== undefined && !(typeof err === "number" && err >>> 0 === err)) {
    bad("exitIntInfoErrorCode");
  }
}

/** A guest register the exit needs (`v` its value, `field` its name): present, a u64; bits 31:0, bits 63:32 in `splitHi()`. */
function reg(v: Reg, field: string): number {
  if (v === undefined) missing(field);
  return split(v, field);
}

/** Register `n` (its encoding), for the MOV's register operand. */
function regN(regs: Regs | undefined, n: number): number {
  return reg(regs === undefined ? undefined : regs[NAMES[n] as string], FIELDS[n] as string);
}

/** A guest register the exit needs, as a u64 bigint. */
function reg64(v: Reg, field: string): bigint {
  if (v === undefined) missing(field);
  return u64(v, field);
}

/** The tuned hand-written decoder (exit only). */
export function tunedDecode(s: SvmSnapshot): VmExit {
  if (typeof s !== "object" || s === null) bad("snapshot");
  const c = s.exitCode;
  if (c === undefined) missing("exitCode");
  const regs = s.regs as Regs | undefined;
  if (regs !== undefined && (typeof regs !== "object" || regs === null)) bad("regs");
  const code = split(c, "exitCode");
  if (splitHi() !== 0) return outsideMix(code, splitHi());
  switch (code) {
    case 0x400:
      return npf(s, regs);
    case 0x7b:
      return ioio(s, regs);
    case 0x7c:
      return msr(s, regs);
    case 0x60:
      return intr(s);
    case 0x78: // HLT
      checkU64(s.exitInfo1, "exitInfo1");
      checkU64(s.exitInfo2, "exitInfo2");
      checkIntInfo(s);
      return { kind: "Halt" };
    case 0x13: // MOV CR3 write
    case 0x4e: // #PF
    case 0x72: // CPUID
    case 0x77: // PAUSE
      checkU64(s.exitInfo1, "exitInfo1");
      checkU64(s.exitInfo2, "exitInfo2");
      checkIntInfo(s);
      return { kind: "Nothing" };
    case 0x81:
      return vmmcall(s, regs);
    default:
      return outsideMix(code, 0);
  }
}

function outsideMix(lo: number, hi: number): never {
  if (hi === 0 && SVM_EXIT_CODE_NAMES[lo] !== undefined) {
    throw new Error(`tuned decoder: exit code 0x${lo.toString(16)} is not in the bench's mix`);
  }
  if (hi === 0xffff_ffff && lo >= 0xffff_fffc) {
    throw new Error("tuned decoder: VMRUN failures are not in the bench's mix");
  }
  throw new VmExitError(
    "unknown-exit-reason",
    "exitCode is not a defined SVM exit code",
    "exitCode",
  );
}

function npf(s: SvmSnapshot, regs: Regs | undefined): VmExit {
  // checked in the library's order: the fields' types first, then their presence
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  const lo = i1 === undefined ? 0 : split(i1, "exitInfo1");
  const hi = i1 === undefined ? 0 : splitHi();
  checkU64(i2, "exitInfo2");
  checkIntInfo(s);
  if (i1 === undefined) missing("exitInfo1");
  if (i2 === undefined) missing("exitInfo2");
  const gpa = (typeof i2 === "bigint" ? i2 : BigInt(i2)) as GuestPhysAddr;
  const write = (lo & 2) !== 0;
  // an instruction fetch (bit 4) or a guest page-table access (bit 33) is no MMIO operand
  if ((lo & 0x10) === 0 && (hi & 2) === 0) {
    const bytes = s.instructionBytes;
    if (bytes !== undefined) {
      const exit = mmio(bytes, regs, gpa, write);
      if (exit !== undefined) return exit;
    }
  }
  return {
    kind: "NestedPageFault",
    addr: gpa,
    accessFlags: ((lo & 0x10) !== 0 ? 4 : write ? 2 : 1) as never,
  };
}

/** The MMIO exit of the instruction bytes, or `undefined` (a NestedPageFault). */
function mmio(
  bytes: Uint8Array | readonly number[],
  regs: Regs | undefined,
  gpa: GuestPhysAddr,
  write: boolean,
): VmExit | undefined {
  if (!(bytes instanceof Uint8Array)) return slowMmio(bytes, regs, gpa, write);
  const n = bytes.length;
  let i = 0;
  let rex = 0;
  const b0 = n === 0 ? 0 : (bytes[0] as number);
  if (b0 >>> 4 === 4) {
    rex = b0;
    i = 1;
  }
  if (i + 2 > n) return slowMmio(bytes, regs, gpa, write);
  let op = bytes[i++] as number;
  if (op === 0x0f) {
    op = 0x100 | (bytes[i++] as number);
    if (i >= n) return slowMmio(bytes, regs, gpa, write);
  }
  const modrm = bytes[i] as number;
  const rm = modrm & 7;
  if (modrm >>> 6 !== 0 || rm === 4 || rm === 5) return slowMmio(bytes, regs, gpa, write);
  const r = ((modrm >>> 3) & 7) | ((rex & 4) << 1);
  const w: AccessWidth = (rex & 8) !== 0 ? 8 : 4;
  if (op === 0x8b) {
    if (write) return undefined;
    return { kind: "MmioRead", addr: gpa, width: w, reg: r, regWidth: w, signedExt: false };
  }
  if (op === 0x1b6) {
    if (write) return undefined;
    return { kind: "MmioRead", addr: gpa, width: 1, reg: r, regWidth: w, signedExt: false };
  }
  if (op === 0x89) {
    if (!write) return undefined;
    const lo = regN(regs, r);
    return { kind: "MmioWrite", addr: gpa, width: w, data: join(lo, w === 8 ? splitHi() : 0) };
  }
  if (op === 0xc7 && r === 0 && i + 5 <= n) {
    if (!write) return undefined;
    const imm =
      ((bytes[i + 1] as number) |
        ((bytes[i + 2] as number) << 8) |
        ((bytes[i + 3] as number) << 16) |
        ((bytes[i + 4] as number) << 24)) >>>
      0;
    // the imm32 of a 64-bit store is sign-extended
    const hi = w === 8 && imm >= 0x8000_0000 ? 0xffff_ffff : 0;
    return { kind: "MmioWrite", addr: gpa, width: w, data: join(imm, hi) };
  }
  return slowMmio(bytes, regs, gpa, write);
}

/** Every other instruction: the library's MOV decoder (it checks the bytes). */
function slowMmio(
  bytes: Uint8Array | readonly number[],
  regs: Regs | undefined,
  gpa: GuestPhysAddr,
  write: boolean,
): VmExit | undefined {
  const a = decodeX86MemAccess(bytes, 64, "amd");
  if ("unsupported" in a || (a.direction === "write") !== write) return undefined;
  if (a.direction === "read") {
    return {
      kind: "MmioRead",
      addr: gpa,
      width: a.width,
      reg: a.reg as number,
      regWidth: a.regWidth,
      signedExt: a.signedExt,
    };
  }
  if (a.reg === undefined) {
    return { kind: "MmioWrite", addr: gpa, width: a.width, data: a.immediate as bigint };
  }
  // 16–19: AH, CH, DH, BH
  const lo = regN(regs, a.reg >= 16 ? a.reg - 16 : a.reg);
  const data =
    a.reg >= 16
      ? join((lo >>> 8) & 0xff, 0)
      : a.width === 8
        ? join(lo, splitHi())
        : join((lo & (IO_MASKS[a.width] as number)) >>> 0, 0);
  return { kind: "MmioWrite", addr: gpa, width: a.width, data };
}

function ioio(s: SvmSnapshot, regs: Regs | undefined): VmExit {
  const i1 = s.exitInfo1;
  const lo = i1 === undefined ? 0 : split(i1, "exitInfo1");
  checkU64(s.exitInfo2, "exitInfo2");
  checkIntInfo(s);
  if (i1 === undefined) missing("exitInfo1");
  const size = IO_SIZES[(lo >>> 4) & 7] as 0 | 1 | 2 | 4;
  if (size === 0) reserved("exitInfo1");
  // STR (bit 2) or REP (bit 3): not a single port access; REP reads RCX when given
  if ((lo & 0xc) !== 0) {
    if ((lo & 8) !== 0) checkU64(regs?.rcx, "regs.rcx");
    return { kind: "Nothing" };
  }
  const port = (lo >>> 16) as Port;
  if ((lo & 1) !== 0) return { kind: "IoRead", port, width: size };
  const eax = reg(regs?.rax, "regs.rax");
  return {
    kind: "IoWrite",
    port,
    width: size,
    data: join((eax & (IO_MASKS[size] as number)) >>> 0, 0),
  };
}

function msr(s: SvmSnapshot, regs: Regs | undefined): VmExit {
  const i1 = s.exitInfo1;
  const rw = i1 === undefined ? 0 : split(i1, "exitInfo1");
  const hi = i1 === undefined ? 0 : splitHi();
  checkU64(s.exitInfo2, "exitInfo2");
  checkIntInfo(s);
  if (i1 === undefined) missing("exitInfo1");
  if (hi !== 0 || rw > 1) reserved("exitInfo1");
  const ecx = reg(regs?.rcx, "regs.rcx");
  if (rw === 0) return { kind: "SysRegRead", addr: ecx as SysRegAddr, reg: 0 };
  const eax = reg(regs?.rax, "regs.rax");
  const edx = reg(regs?.rdx, "regs.rdx");
  if (ecx === 0x830) {
    // the x2APIC ICR: delivery mode bits 10:8, shorthand 19:18, destination EDX
    const mode = (eax >>> 8) & 7;
    const sh = (eax >>> 18) & 3;
    const toAll = sh === 0 && edx === 0xffff_ffff;
    if (mode === 0 || mode === 1 || mode === 4) {
      return {
        kind: "SendIPI",
        targetCpu: join(edx, 0),
        targetCpuAux: 0n,
        sendToAll: sh >= 2 || toAll,
        sendToSelf: sh === 1 || sh === 2 || toAll,
        vector: SMALL[mode === 4 ? 2 : eax & 0xff] as bigint,
      };
    }
    if (mode === 6 && sh === 0 && !toAll && (eax & 0x800) === 0) {
      return {
        kind: "CpuUp",
        targetCpu: join(edx, 0),
        entryPoint: join((eax & 0xff) << 12, 0) as GuestPhysAddr,
        arg: 0n,
      };
    }
    if (mode !== 3) return { kind: "Nothing" };
  }
  return { kind: "SysRegWrite", addr: ecx as SysRegAddr, value: join(eax, edx) };
}

function intr(s: SvmSnapshot): VmExit {
  checkU64(s.exitInfo1, "exitInfo1");
  checkU64(s.exitInfo2, "exitInfo2");
  checkIntInfo(s);
  const v = s.interruptVector;
  if (v === undefined) missing("interruptVector");
  if (!(typeof v === "number" && v >>> 0 === v && v <= 0xff)) bad("interruptVector");
  return { kind: "ExternalInterrupt", vector: SMALL[v] as bigint };
}

function vmmcall(s: SvmSnapshot, regs: Regs | undefined): VmExit {
  checkU64(s.exitInfo1, "exitInfo1");
  checkU64(s.exitInfo2, "exitInfo2");
  checkIntInfo(s);
  // the axvisor convention: nr = RAX, args = RDI, RSI, RDX, RCX, R8, R9
  if (regs === undefined) missing("regs.rax");
  const nr = reg64(regs.rax, "regs.rax");
  return {
    kind: "Hypercall",
    nr,
    args: [
      reg64(regs.rdi, "regs.rdi"),
      reg64(regs.rsi, "regs.rsi"),
      reg64(regs.rdx, "regs.rdx"),
      reg64(regs.rcx, "regs.rcx"),
      reg64(regs.r8, "regs.r8"),
      reg64(regs.r9, "regs.r9"),
    ],
  };
}
