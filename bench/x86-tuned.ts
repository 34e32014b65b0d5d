// The tuned VMX decoder: the best plain JS for the exits of the bench's mix, the practical limit
// of a decoder in JS. It validates what the library validates on these paths (the snapshot's
// shape and exit reason, a defined basic reason, every VMCS field and register it reads or that
// the exit's class checks, a missing register or qualification, the I/O size, the interruption
// information of an external interrupt, the instruction bytes and the MOV's encoding), splits
// each 64-bit value once into 32-bit halves through one BigUint64Array/Uint32Array buffer, cuts
// fields with number operations, decodes the mix's MOV forms with numbers and writes the exits as
// object literals. Exit only; reasons and instruction forms outside the mix throw.

import { VmExitError } from "../src/core/error";
import type { VmExit } from "../src/core/exit";
import type { GuestPhysAddr } from "../src/core/scalars/guest-phys-addr";
import type { Port } from "../src/core/scalars/port";
import type { SysRegAddr } from "../src/core/scalars/sys-reg-addr";
import { X86_MODRM32_TAIL } from "../src/x86/insn/modrm";
import { X86_PREFIX_KINDS, X86_PREFIX_NONE } from "../src/x86/insn/prefixes";
import { VMX_EXIT_REASON_NAMES } from "../src/x86/vmx/reasons";
import { join, missing, SMALL, split, splitHi, u64 } from "./tuned-u64";

type Value = bigint | number | undefined;
interface Regs {
  readonly rax?: Value;
  readonly rcx?: Value;
  readonly rdx?: Value;
  readonly rsi?: Value;
  readonly rdi?: Value;
  readonly r8?: Value;
  readonly r9?: Value;
}
interface Snapshot {
  readonly exitReason: number;
  readonly exitQualification?: Value;
  readonly guestPhysicalAddress?: Value;
  readonly guestLinearAddress?: Value;
  readonly exitInterruptionInfo?: number;
  readonly exitInterruptionErrorCode?: number;
  readonly idtVectoringInfo?: number;
  readonly instructionBytes?: Uint8Array | readonly number[];
  readonly regs?: Regs;
}

/** Register names in encoding order (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8…R15). */
const REG_NAMES = [
  "rax",
  "rcx",
  "rdx",
  "rbx",
  "rsp",
  "rbp",
  "rsi",
  "rdi",
  "r8",
  "r9",
  "r10",
  "r11",
  "r12",
  "r13",
  "r14",
  "r15",
] as const;
const REG_FIELDS: readonly string[] = REG_NAMES.map((name) => `regs.${name}`);
/** I/O qualification bits 2:0 → bytes (0: not used). */
const IO_SIZES = [1, 2, 0, 4, 0, 0, 0, 0] as const;
const LOW_MASKS = [0, 0xff, 0xffff, 0, 0xffff_ffff];
/** 2^64 − 2^32: added to a negative imm32 to sign-extend it to 64 bits. */
const SIGN_EXTEND = 0xffff_ffff_0000_0000n;

/** A 32-bit VMCS field, checked when given. */
function checkU32(v: unknown, field: string): void {
  if (v !== undefined && !(typeof v === "number" && v >>> 0 === v)) {
    throw new VmExitError("invalid-argument", `${field} is not a u32`, field);
  }
}

/** A needed register (`field` is its name, "regs.rax"), validated, as a bigint. */
function reg64(v: Value, field: string): bigint {
  if (v === undefined) missing(field);
  return u64(v, field);
}

/** Bits 31:0 of a needed register, validated. */
function reg32(v: Value, field: string): number {
  if (v === undefined) missing(field);
  return split(v, field);
}

/** The tuned hand-written decoder (exit only). */
export function tunedDecode(s: Snapshot): VmExit {
  if (typeof s !== "object" || s === null) throw new VmExitError("invalid-argument", "snapshot");
  const r = s.exitReason;
  if (r === undefined) missing("exitReason");
  const regs = s.regs;
  if (regs !== undefined && (typeof regs !== "object" || regs === null)) {
    throw new VmExitError("invalid-argument", "regs is not an object", "regs");
  }
  if (!(typeof r === "number" && r >>> 0 === r)) {
    throw new VmExitError("invalid-argument", "exitReason is not a u32", "exitReason");
  }
  const basic = r & 0xffff;
  if (VMX_EXIT_REASON_NAMES[basic] === undefined) {
    throw new VmExitError("unknown-exit-reason", `basic reason ${basic}`, "exitReason");
  }
  if (r >>> 31 !== 0 || basic === 33 || basic === 34 || basic === 41) {
    throw new Error("tuned decoder: VM-entry failures are not in the bench's mix");
  }
  return (HANDLERS[basic] as Handler)(s, regs, basic);
}

type Handler = (s: Snapshot, regs: Regs | undefined, basic: number) => VmExit;

function outsideMix(_s: Snapshot, _regs: Regs | undefined, basic: number): VmExit {
  throw new Error(`tuned decoder: exit reason ${basic} is not in the bench's mix`);
}

function msrRead(_s: Snapshot, regs: Regs | undefined): VmExit {
  return { kind: "SysRegRead", addr: reg32(regs?.rcx, "regs.rcx") as SysRegAddr, reg: 0 };
}

function exceptionNmi(s: Snapshot): VmExit {
  checkQualification(s.exitQualification);
  checkU32(s.exitInterruptionInfo, "exitInterruptionInfo");
  checkU32(s.exitInterruptionErrorCode, "exitInterruptionErrorCode");
  checkU32(s.idtVectoringInfo, "idtVectoringInfo");
  return { kind: "Nothing" };
}

function vmcall(_s: Snapshot, regs: Regs | undefined): VmExit {
  return {
    kind: "Hypercall",
    nr: reg64(regs?.rax, "regs.rax"),
    args: [
      reg64(regs?.rdi, "regs.rdi"),
      reg64(regs?.rsi, "regs.rsi"),
      reg64(regs?.rdx, "regs.rdx"),
      reg64(regs?.rcx, "regs.rcx"),
      reg64(regs?.r8, "regs.r8"),
      reg64(regs?.r9, "regs.r9"),
    ],
  } as VmExit;
}

function crAccess(s: Snapshot): VmExit {
  checkQualification(s.exitQualification);
  return { kind: "Nothing" };
}

/** HLT, CPUID, PAUSE: the qualification and IDT-vectoring information checked when given. */
function other(s: Snapshot, _regs: Regs | undefined, basic: number): VmExit {
  checkQualification(s.exitQualification);
  checkU32(s.idtVectoringInfo, "idtVectoringInfo");
  return basic === 12 ? { kind: "Halt" } : { kind: "Nothing" };
}

/** The decoder of each basic reason in the mix. */
const HANDLERS: Handler[] = Array.from({ length: 86 }, () => outsideMix);
HANDLERS[0] = exceptionNmi;
HANDLERS[1] = (s) => externalInterrupt(s);
HANDLERS[10] = other;
HANDLERS[12] = other;
HANDLERS[18] = vmcall;
HANDLERS[28] = crAccess;
HANDLERS[30] = io;
HANDLERS[31] = msrRead;
HANDLERS[32] = (_s, regs) => msrWrite(regs);
HANDLERS[40] = other;
HANDLERS[48] = eptViolation;

function checkQualification(q: Value): void {
  if (q !== undefined) split(q, "exitQualification");
}

function needQualification(q: Value): number {
  if (q === undefined) missing("exitQualification");
  return split(q, "exitQualification");
}

function externalInterrupt(s: Snapshot): VmExit {
  const info = s.exitInterruptionInfo;
  checkU32(info, "exitInterruptionInfo");
  checkU32(s.exitInterruptionErrorCode, "exitInterruptionErrorCode");
  if (info === undefined || info >>> 31 === 0) missing("exitInterruptionInfo");
  if ((info & 0x700) !== 0) {
    throw new VmExitError("reserved-encoding", "type is not 0", "exitInterruptionInfo");
  }
  return { kind: "ExternalInterrupt", vector: SMALL[info & 0xff] as bigint };
}

function io(s: Snapshot, regs: Regs | undefined): VmExit {
  const q = needQualification(s.exitQualification);
  const width = IO_SIZES[q & 7] as 0 | 1 | 2 | 4;
  if (width === 0) throw new VmExitError("reserved-encoding", "size", "exitQualification");
  if ((q & 0x30) !== 0)
    throw new Error("tuned decoder: string / REP I/O is not in the bench's mix");
  const port = (q >>> 16) as Port;
  if ((q & 8) !== 0) return { kind: "IoRead", port, width };
  const eax = reg32(regs?.rax, "regs.rax");
  return {
    kind: "IoWrite",
    port,
    width,
    data: join((eax & (LOW_MASKS[width] as number)) >>> 0, 0),
  };
}

function msrWrite(regs: Regs | undefined): VmExit {
  const ecx = reg32(regs?.rcx, "regs.rcx");
  const eax = reg32(regs?.rax, "regs.rax");
  const edx = reg32(regs?.rdx, "regs.rdx");
  if (ecx !== 0x830) {
    return { kind: "SysRegWrite", addr: ecx as SysRegAddr, value: join(eax, edx) };
  }
  // the x2APIC ICR: vector 7:0, delivery mode 10:8, destination mode 11, shorthand 19:18,
  // destination 63:32 (EDX); 0xFFFFFFFF with no shorthand is the broadcast
  const mode = (eax >>> 8) & 7;
  const shorthand = (eax >>> 18) & 3;
  const toAll = shorthand === 0 && edx === 0xffff_ffff;
  if (mode === 0 || mode === 1 || mode === 4) {
    return {
      kind: "SendIPI",
      targetCpu: join(edx, 0),
      targetCpuAux: 0n,
      sendToAll: shorthand >= 2 || toAll,
      sendToSelf: shorthand === 1 || shorthand === 2 || toAll,
      vector: SMALL[mode === 4 ? 2 : eax & 0xff] as bigint,
    };
  }
  if (mode === 3) return { kind: "SysRegWrite", addr: ecx as SysRegAddr, value: join(eax, edx) };
  if (mode === 6 && shorthand === 0 && !toAll && (eax & 0x800) === 0) {
    return {
      kind: "CpuUp",
      targetCpu: join(edx, 0),
      entryPoint: join((eax & 0xff) << 12, 0) as GuestPhysAddr,
      arg: 0n,
    };
  }
  return { kind: "Nothing" };
}

function eptViolation(s: Snapshot, regs: Regs | undefined): VmExit {
  const q = needQualification(s.exitQualification);
  const gpa = s.guestPhysicalAddress;
  if (gpa === undefined) missing("guestPhysicalAddress");
  const addr = u64(gpa, "guestPhysicalAddress") as GuestPhysAddr;
  const gla = s.guestLinearAddress;
  if (gla !== undefined) u64(gla, "guestLinearAddress");
  checkU32(s.idtVectoringInfo, "idtVectoringInfo");
  // MMIO: a data read or write (bits 1:0, not a fetch: bit 2) of the instruction's operand (not
  // a paging-structure entry: bit 7 set with bit 8 clear) whose bytes decode
  if ((q & 4) === 0 && (q & 3) !== 0 && (q & 0x180) !== 0x80) {
    const bytes = s.instructionBytes;
    if (bytes !== undefined) {
      const exit = mmio(bytes, addr, (q & 2) !== 0, regs);
      if (exit !== undefined) return exit;
    }
  }
  return { kind: "NestedPageFault", addr, accessFlags: q & 7 } as VmExit;
}

function checkBytes(bytes: Uint8Array | readonly number[]): number {
  if (bytes instanceof Uint8Array) return bytes.length;
  if (!Array.isArray(bytes)) {
    throw new VmExitError("invalid-argument", "instructionBytes", "instructionBytes");
  }
  for (let k = 0; k < bytes.length; k++) {
    const b: unknown = bytes[k];
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 0xff) {
      throw new VmExitError("invalid-argument", `instructionBytes[${k}]`, `instructionBytes[${k}]`);
    }
  }
  return bytes.length;
}

/** The MMIO exit of the MOV at RIP (64-bit mode), `undefined` when it is no MMIO access in the exit's direction. */
function mmio(
  bytes: Uint8Array | readonly number[],
  addr: GuestPhysAddr,
  write: boolean,
  regs: Regs | undefined,
): VmExit | undefined {
  const n = checkBytes(bytes);
  let i = 0;
  let rex = 0;
  let b = 0;
  for (;;) {
    if (i >= n || i >= 15) return undefined; // all prefixes, or too long
    b = bytes[i] as number;
    if (X86_PREFIX_KINDS[b] !== X86_PREFIX_NONE) {
      throw new Error("tuned decoder: legacy prefixes are not in the bench's mix");
    }
    if ((b & 0xf0) !== 0x40) break;
    rex = b;
    i++;
  }
  i++;
  // 89 MOV r/m, r (store); 8B MOV r, r/m (load); 0F B6 MOVZX r, r/m8; C7 /0 MOV r/m, imm32
  let width: 1 | 4 | 8 = (rex & 8) !== 0 ? 8 : 4;
  const regWidth = width;
  if (b === 0x0f) {
    if (i >= n) return undefined;
    if (bytes[i++] !== 0xb6)
      throw new Error("tuned decoder: 0F opcodes other than B6 are not in the mix");
    width = 1;
  } else if (b !== 0x89 && b !== 0x8b && b !== 0xc7) {
    throw new Error(`tuned decoder: opcode ${b} is not in the bench's mix`);
  }
  if (i >= n) return undefined;
  const modrm = bytes[i++] as number;
  const regField = (modrm >>> 3) & 7;
  if ((b === 0xc7 && regField !== 0) || modrm >= 0xc0) return undefined;
  if ((modrm & 0xc7) === 0x04) {
    if (i >= n) return undefined;
    if (((bytes[i] as number) & 7) === 5) i += 4;
  }
  i += X86_MODRM32_TAIL[modrm] as number;
  const end = b === 0xc7 ? i + 4 : i;
  if (end > 15 || end > n) return undefined;
  const isWrite = b === 0x89 || b === 0xc7;
  if (isWrite !== write) return undefined;
  if (!isWrite) {
    return {
      kind: "MmioRead",
      addr,
      width,
      reg: regField | ((rex & 4) << 1),
      regWidth,
      signedExt: false,
    };
  }
  if (b === 0xc7) {
    const imm =
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24)) >>>
      0;
    const data = width === 8 && imm >= 0x8000_0000 ? BigInt(imm) + SIGN_EXTEND : join(imm, 0);
    return { kind: "MmioWrite", addr, width, data };
  }
  const r = regField | ((rex & 4) << 1);
  const v = (regs as Record<string, Value> | undefined)?.[REG_NAMES[r] as string];
  const field = REG_FIELDS[r] as string;
  if (v === undefined) missing(field);
  const lo = split(v, field);
  const data = width === 8 ? join(lo, splitHi()) : join(lo, 0);
  return { kind: "MmioWrite", addr, width, data };
}
