// The tuned AArch64 decoder: the best plain JS for the exits of the bench's mix, the practical
// limit of a decoder in JS. It validates what the library validates on these paths (the
// snapshot's type, every register it reads or that the exit's class checks, ESR RES0 bits, an
// unallocated EC, the data-abort syndrome rule, a missing register), splits each 64-bit value
// once into 32-bit halves through one BigUint64Array/Uint32Array buffer, cuts fields with number
// operations and writes the exits as object literals. Exit only; classes outside the mix throw.

import { ESR_EC_NAMES } from "../src/aarch64/tables/ec";
import { VmExitError } from "../src/core/error";
import type { VmExit } from "../src/core/exit";
import type { GuestPhysAddr } from "../src/core/scalars/guest-phys-addr";
import type { SysRegAddr } from "../src/core/scalars/sys-reg-addr";
import { join, missing, split, splitHi, u64 } from "./tuned-u64";

type Reg = bigint | number | undefined;
interface Snapshot {
  readonly esr: bigint | number;
  readonly far?: Reg;
  readonly hpfar?: Reg;
  readonly x?: readonly Reg[];
  readonly exception?: string;
  readonly irq?: Reg;
  readonly instruction?: number;
}

const X_NAMES: readonly string[] = Array.from({ length: 31 }, (_, i) => `x${i}`);
/** EC → allocated (an EC the Arm ARM assigns). */
const ALLOCATED: readonly boolean[] = Array.from(
  { length: 64 },
  (_, ec) => ESR_EC_NAMES[ec] !== undefined,
);
const WIDTHS = [1, 2, 4, 8] as const;
const LOW_MASKS = [0xff, 0xffff, 0xffff_ffff];

function regs(s: Snapshot): readonly Reg[] {
  const x = s.x;
  if (Array.isArray(x)) return x;
  if (x === undefined) return [];
  throw new VmExitError("invalid-argument", "x is not an array", "x");
}

/** Xn, needed: a u64 bigint (31 = XZR reads 0). */
function xn(x: readonly Reg[], n: number): bigint {
  if (n === 31) return 0n;
  const v = x[n];
  if (v === undefined) missing(X_NAMES[n] as string);
  return u64(v, X_NAMES[n] as string);
}

/** Xn, not needed: checked when supplied. */
function checkXn(x: readonly Reg[], n: number): void {
  const v = x[n];
  if (v !== undefined && n !== 31) u64(v, X_NAMES[n] as string);
}

function reserved(why: string): never {
  throw new VmExitError("reserved-encoding", `esr ${why}`, "esr");
}

/** The tuned hand-written decoder (exit only). */
export function tunedDecode(s: Snapshot): VmExit {
  if (typeof s !== "object" || s === null) throw new VmExitError("invalid-argument", "snapshot");
  const exception = s.exception;
  if (exception === "irq") {
    const irq = s.irq;
    if (irq === undefined) missing("irq");
    const vector = u64(irq, "irq");
    if (s.esr !== undefined) u64(s.esr, "esr");
    return { kind: "ExternalInterrupt", vector };
  }
  if (exception !== undefined && exception !== "sync") {
    throw new Error(`tuned decoder: exception ${exception} is not in the bench's mix`);
  }
  const raw = s.esr;
  if (raw === undefined) missing("esr");
  const lo = split(raw, "esr");
  if (splitHi() >>> 24 !== 0) reserved("bits 63:56 are RES0");
  const ec = lo >>> 26;
  if (!ALLOCATED[ec]) reserved("EC is unallocated");
  if (ec === 0x24) return dataAbort(s, lo);
  if (ec === 0x18) return sys64(s, lo);
  if (ec === 0x16) return hvc64(s);
  if (ec === 0x01) {
    if ((lo & 4) !== 0) checkXn(regs(s), (lo >>> 5) & 31);
    return (lo & 1) === 0 ? { kind: "Halt" } : { kind: "Nothing" };
  }
  throw new Error(`tuned decoder: EC 0x${ec.toString(16)} is not in the bench's mix`);
}

// DFSC translation faults: levels 0…3 (0x04…0x07), −1 (0x2B), −2 (0x2A).
function isTranslation(fsc: number): boolean {
  return (fsc & 0x3c) === 0x04 || fsc === 0x2a || fsc === 0x2b;
}

function dataAbort(s: Snapshot, lo: number): VmExit {
  const isv = (lo & 0x100_0000) !== 0;
  const sas = (lo >>> 22) & 3;
  const sf = (lo & 0x8000) !== 0;
  if (isv && sas === 3 && !sf) reserved("ISV = 1, SAS = 3 and SF = 0");
  const fsc = lo & 0x3f;
  const fnv = (lo & 0x400) !== 0;
  const wnr = (lo & 0x40) !== 0;
  const srt = (lo >>> 16) & 31;
  if (fnv || (lo & 0x180) !== 0 || !isv || !isTranslation(fsc) || s.instruction !== undefined) {
    throw new Error("tuned decoder: only ISV = 1 translation faults are in the bench's mix");
  }
  const hpfar = s.hpfar;
  if (hpfar === undefined) missing("hpfar");
  const hpLo = split(hpfar, "hpfar");
  const hpHi = splitHi();
  const far = s.far;
  if (far === undefined) missing("far");
  const farLo = split(far, "far");
  // IPA = HPFAR.FIPA [47:4] << 12 | FAR[11:0]
  const fipa = hpLo >>> 4;
  const addr = join(
    ((fipa << 12) | (farLo & 0xfff)) >>> 0,
    ((fipa >>> 20) | ((hpHi & 0xffff) << 8)) >>> 0,
  ) as GuestPhysAddr;
  const width = WIDTHS[sas] as 1 | 2 | 4 | 8;
  if (!wnr) {
    return {
      kind: "MmioRead",
      addr,
      width,
      reg: srt,
      regWidth: sf ? 8 : 4,
      signedExt: (lo & 0x20_0000) !== 0,
    };
  }
  let data = 0n;
  if (srt !== 31) {
    const x = regs(s);
    const v = x[srt];
    if (v === undefined) missing(X_NAMES[srt] as string);
    const dataLo = split(v, X_NAMES[srt] as string);
    data =
      sas === 3 ? join(dataLo, splitHi()) : join((dataLo & (LOW_MASKS[sas] as number)) >>> 0, 0);
  }
  return { kind: "MmioWrite", addr, width, data };
}

function sys64(s: Snapshot, lo: number): VmExit {
  const rt = (lo >>> 5) & 31;
  const addr = (lo & 0x3f_fc1e) as SysRegAddr;
  if ((lo & 1) !== 0) return { kind: "SysRegRead", addr, reg: rt };
  // ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 (op0 3, op1 0, CRn 12, CRm 11, op2 5…7)
  if ((addr & 0x31_fc1e) === 0x30_3016 && addr >>> 17 >= 0x1d) {
    throw new Error("tuned decoder: SGI writes are not in the bench's mix");
  }
  return { kind: "SysRegWrite", addr, value: xn(regs(s), rt) };
}

function hvc64(s: Snapshot): VmExit {
  const x = regs(s);
  const x0 = x[0];
  if (x0 === undefined) missing("x0");
  const fid = split(x0, "x0");
  if (fid === 0xc400_0003) {
    const exit: VmExit = {
      kind: "CpuUp",
      targetCpu: xn(x, 1),
      entryPoint: xn(x, 2),
      arg: xn(x, 3),
    } as VmExit;
    checkXn(x, 4);
    checkXn(x, 5);
    checkXn(x, 6);
    return exit;
  }
  if ((fid & 0xbfff_ffe0) >>> 0 === 0x8400_0000) {
    throw new Error("tuned decoder: PSCI calls other than CPU_ON64 are not in the bench's mix");
  }
  return {
    kind: "Hypercall",
    nr: typeof x0 === "bigint" ? x0 : BigInt(x0),
    args: [xn(x, 1), xn(x, 2), xn(x, 3), xn(x, 4), xn(x, 5), xn(x, 6)],
  } as VmExit;
}
