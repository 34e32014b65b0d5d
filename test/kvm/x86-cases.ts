// Generates the KVM test's cases: an instruction, the register file before it, the MMIO address
// the registers make it access, and the data a read returns.
import { Rng } from "./rng";
import {
  type Addressing,
  addressing16,
  addressing32,
  IO_FORMS,
  type IoForm,
  MOV_FORMS,
  type Mode,
  type MovForm,
  RM16,
  SEGMENT_PREFIXES,
} from "./x86-forms";

/** Guest address of the instruction (test/kvm/harness.c: CODE). */
export const CODE = 0x1000n;
/** The unmapped guest-physical window the accesses go to: 0xC000…0xFFFF (harness.c: RAM_SIZE). */
const MMIO_BASE = 0xc000n;
const MMIO_SIZE = 0x4000;
/** A stack in RAM, for RSP when the instruction does not address through it. */
const STACK = 0xb000n;

/** Register numbers in encoding order. */
export const RSP = 4;

/** One MMIO case. */
export interface MmioCase {
  readonly type: "mmio";
  readonly mode: Mode;
  /** What was generated, for messages: form, prefixes, addressing. */
  readonly label: string;
  readonly bytes: readonly number[];
  /** RAX…R15 in encoding order, before the instruction. */
  readonly regs: readonly bigint[];
  readonly rflags: bigint;
  /** What an MMIO read returns (its low `len` bytes). */
  readonly data: bigint;
  /** The address the generator made the operand point at. */
  readonly gpa: bigint;
  /** Set for forms vmexit does not decode, whose KVM behaviour is reported, not compared. */
  readonly probe?: string;
  /** For a prefix probe: the same instruction without the prefix, which vmexit decodes. */
  readonly reference?: readonly number[];
}

/** One port I/O case. */
export interface IoCase {
  readonly type: "io";
  readonly mode: Mode;
  readonly label: string;
  readonly bytes: readonly number[];
  readonly regs: readonly bigint[];
  readonly rflags: bigint;
  readonly data: bigint;
  readonly port: number;
  /** The access size the generator expects (1, 2 or 4). */
  readonly size: 1 | 2 | 4;
  readonly in: boolean;
  readonly imm8: boolean;
  readonly probe?: string;
}

export type Case = MmioCase | IoCase;

/** The choices that make one MOV instruction. */
interface MovChoice {
  readonly form: MovForm;
  readonly p66: boolean;
  readonly p67: boolean;
  readonly rexW: boolean;
  /** Emit a REX prefix even when no bit is needed (byte registers 4–7 become SPL…DIL). */
  readonly rexForce: boolean;
  /** Register field with the REX.R bit (0–15). */
  readonly reg: number;
  /** The memory operand of a ModRM form (random when absent). */
  readonly addressing?: Addressing;
  /** Legacy prefixes besides 66/67 (segment overrides; F2/F3 for probes). */
  readonly extra: readonly number[];
  /** Put a REX prefix before the legacy prefixes, where it is ignored (SDM Vol. 2 §2.2.1). */
  readonly strayRex?: number;
  readonly probe?: string;
}

const FLAG_BITS = [0x1n, 0x4n, 0x10n, 0x40n, 0x80n, 0x800n]; // CF PF AF ZF SF OF

function randomFlags(rng: Rng): bigint {
  let f = 0x2n;
  for (const b of FLAG_BITS) if (rng.chance(0.5)) f |= b;
  return f;
}

function operandSize(mode: Mode, p66: boolean, rexW: boolean): 2 | 4 | 8 {
  if (rexW) return 8;
  return (mode === 16) !== p66 ? 2 : 4;
}

function addressSize(mode: Mode, p67: boolean): 16 | 32 | 64 {
  if (mode === 64) return p67 ? 32 : 64;
  return (mode === 32) !== p67 ? 32 : 16;
}

function accessWidth(form: MovForm, opsize: 2 | 4 | 8): number {
  if (form.access === "op") return opsize;
  if (form.access === "movsxd") return opsize === 8 ? 4 : opsize;
  return form.access;
}

function le(value: bigint, bytes: number): number[] {
  const v = BigInt.asUintN(8 * bytes, value);
  return Array.from({ length: bytes }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}

/** The value of `a` in 0…m−1 inverted modulo a power of two m (a odd). */
function inverse(a: bigint, m: bigint): bigint {
  let x = 1n;
  for (let i = 0; i < 7; i++) x = (x * (2n - a * x)) % m; // Newton: doubles the correct bits
  return ((x % m) + m) % m;
}

function mod(a: bigint, m: bigint): bigint {
  return ((a % m) + m) % m;
}

/** The parts of a memory operand: registers, scale, displacement size, RIP-relative. */
interface Operand {
  base?: number | "rip";
  index?: number;
  scale: number;
  dispBytes: number;
  /** disp is sign-extended (disp8, and disp32 of 64-bit addressing). */
  signed: boolean;
}

function operandOf(a: Addressing, mode: Mode): Operand {
  if (a.size === 16) {
    const [base, index] = RM16[a.rm] as readonly [number | undefined, number | undefined];
    if (a.mod === 0 && a.rm === 6) return { scale: 0, dispBytes: 2, signed: false };
    const op: Operand = { scale: 0, dispBytes: [0, 1, 2][a.mod] as number, signed: a.mod === 1 };
    if (base !== undefined) op.base = base;
    if (index !== undefined) op.index = index;
    return op;
  }
  const dispBytes = [0, 1, 4][a.mod] as number;
  if (a.sib === undefined) {
    if (a.mod === 0 && (a.rm & 7) === 5) {
      return mode === 64
        ? { base: "rip", scale: 0, dispBytes: 4, signed: true }
        : { scale: 0, dispBytes: 4, signed: true };
    }
    return { base: a.rm, scale: 0, dispBytes, signed: true };
  }
  const op: Operand = { scale: a.sib.scale, dispBytes, signed: true };
  if (a.sib.index !== 4) op.index = a.sib.index; // index 100 without REX.X: none (R12 is 1100)
  if (a.mod === 0 && (a.sib.base & 7) === 5)
    op.dispBytes = 4; // no base, disp32
  else op.base = a.sib.base;
  return op;
}

/** ModRM (+ SIB) bytes and the REX.X / REX.B bits of an addressing form, reg field `reg`. */
function modrmBytes(a: Addressing, reg: number): { bytes: number[]; x: number; b: number } {
  const modrm = (a.mod << 6) | ((reg & 7) << 3) | (a.rm & 7);
  if (a.size === 16) return { bytes: [modrm], x: 0, b: 0 };
  if (a.sib === undefined) return { bytes: [modrm], x: 0, b: a.rm >> 3 };
  const sib = (a.sib.scale << 6) | ((a.sib.index & 7) << 3) | (a.sib.base & 7);
  return { bytes: [modrm, sib], x: a.sib.index >> 3, b: a.sib.base >> 3 };
}

function randomAddressing(rng: Rng, size: 16 | 32 | 64, rex: boolean): Addressing {
  if (size === 16) return { size, mod: rng.pick([0, 1, 2] as const), rm: rng.int(8) };
  const regs = rex ? 16 : 8;
  const mod = rng.pick([0, 1, 2] as const);
  if (rng.chance(0.5)) {
    let rm = rng.int(regs);
    if ((rm & 7) === 4) rm ^= 1;
    return { size, mod, rm };
  }
  return {
    size,
    mod,
    rm: 4,
    sib: { scale: rng.int(4), index: rng.int(regs), base: rng.int(regs) },
  };
}

function randomRegs(rng: Rng): bigint[] {
  return Array.from({ length: 16 }, () => rng.reg());
}

/** A target in the MMIO window whose `width` bytes stay inside one page. */
function randomTarget(rng: Rng, width: number): bigint {
  for (;;) {
    const t = rng.int(MMIO_SIZE);
    if ((t & 0xfff) + width <= 0x1000) return MMIO_BASE + BigInt(t);
  }
}

function randomData(rng: Rng, width: number): bigint {
  const d = rng.u64();
  // the access's top bit set in four cases out of five, so that sign and zero extension differ
  return rng.chance(0.8) ? d | (1n << BigInt(8 * width - 1)) : d & ~(1n << BigInt(8 * width - 1));
}

/**
 * Sets registers (and picks the displacement) so that the operand's effective address is `target`.
 * Returns the displacement, or undefined when this operand cannot reach it (the caller retries).
 */
function solve(
  rng: Rng,
  regs: bigint[],
  op: Operand,
  bits: number,
  target: bigint,
  nextRip: bigint,
): bigint | undefined {
  const n = 1n << BigInt(bits);
  const low = n - 1n;
  const randomDisp = (): bigint => {
    if (op.dispBytes === 0) return 0n;
    const raw = rng.bits(8 * op.dispBytes);
    return op.signed ? BigInt.asIntN(8 * op.dispBytes, raw) : raw;
  };
  const setLow = (r: number, v: bigint) => {
    regs[r] = ((regs[r] as bigint) & ~low & ((1n << 64n) - 1n)) | mod(v, n);
  };
  if (op.base === "rip") return target - nextRip;
  let disp = randomDisp();
  const { base, index, scale } = op;
  if (base !== undefined && base !== index) {
    const scaled = index === undefined ? 0n : (regs[index] as bigint) << BigInt(scale);
    setLow(base, target - disp - scaled);
  } else if (base !== undefined) {
    const coef = 1n + (1n << BigInt(scale));
    if (coef % 2n === 1n) {
      setLow(base, mod(target - disp, n) * inverse(coef, n));
    } else {
      if (mod(target - disp, 2n) === 1n) {
        if (op.dispBytes === 0) return undefined;
        disp ^= 1n;
      }
      setLow(base, (mod(target - disp, n) >> 1n) | (rng.bits(1) << BigInt(bits - 1)));
    }
  } else if (index !== undefined) {
    // no base: disp32 + index << scale
    disp = BigInt.asIntN(31, disp);
    disp += mod(target - disp, 1n << BigInt(scale));
    const v = (mod(target - disp, n) >> BigInt(scale)) | (rng.bits(scale) << BigInt(bits - scale));
    setLow(index, v);
  } else {
    disp = target;
  }
  return disp;
}

/** The effective address of `op` under `regs` (independent of `solve`, to check it). */
function effectiveAddress(
  regs: readonly bigint[],
  op: Operand,
  disp: bigint,
  bits: number,
  nextRip: bigint,
): bigint {
  let ea = disp;
  if (op.base === "rip") ea += nextRip;
  else if (op.base !== undefined) ea += regs[op.base] as bigint;
  if (op.index !== undefined) ea += (regs[op.index] as bigint) << BigInt(op.scale);
  return mod(ea, 1n << BigInt(bits));
}

function prefixLabel(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ");
}

function describe(a: Addressing | undefined): string {
  if (a === undefined) return "moffs";
  if (a.size === 16) return `a16 mod${a.mod} rm${a.rm}`;
  const sib = a.sib === undefined ? "" : ` sib s${a.sib.scale} i${a.sib.index} b${a.sib.base}`;
  return `a${a.size} mod${a.mod} rm${a.rm}${sib}`;
}

/** Builds one MOV case, or undefined when the choice does not make a valid instruction. */
function movCase(rng: Rng, mode: Mode, c: MovChoice): MmioCase | undefined {
  const { form } = c;
  if (form.only64 && mode !== 64) return undefined;
  // CS is an execute/read code segment: a write through it raises #GP in protected mode
  if (mode === 32 && form.direction === "write" && c.extra.includes(0x2e)) return undefined;
  const opsize = operandSize(mode, c.p66, c.rexW);
  const width = accessWidth(form, opsize);
  const asize = addressSize(mode, c.p67);
  const rexAllowed = mode === 64;
  const addressing =
    form.operand === "moffs"
      ? undefined
      : (c.addressing ?? randomAddressing(rng, asize, rexAllowed));
  if (addressing !== undefined && addressing.size !== (asize === 16 ? 16 : asize)) return undefined;
  const reg = form.operand === "modrm" ? c.reg : 0;
  const m = addressing === undefined ? { bytes: [], x: 0, b: 0 } : modrmBytes(addressing, reg);
  const rexBits = (c.rexW ? 8 : 0) | ((reg >> 3) << 2) | (m.x << 1) | m.b;
  if (!rexAllowed && (rexBits !== 0 || c.rexForce || c.strayRex !== undefined)) return undefined;
  const rex = rexBits !== 0 || c.rexForce ? [0x40 | rexBits] : [];

  const legacy = [...c.extra];
  if (c.p66) legacy.splice(rng.int(legacy.length + 1), 0, 0x66);
  if (c.p67) legacy.splice(rng.int(legacy.length + 1), 0, 0x67);
  // a stray REX counts only when nothing follows it but the opcode: keep it before a legacy prefix
  const stray = c.strayRex === undefined || legacy.length === 0 ? [] : [c.strayRex];
  const head = [...stray, ...legacy, ...rex, ...form.opcode];
  const op = addressing === undefined ? undefined : operandOf(addressing, mode);
  const moffsBytes = asize / 8;
  const dispBytes = op?.dispBytes ?? moffsBytes;
  const immBytes = form.imm ? (width === 1 ? 1 : width === 2 ? 2 : 4) : 0;
  const length = head.length + m.bytes.length + dispBytes + immBytes;
  if (length > 15) return undefined;

  const regs = randomRegs(rng);
  const target = randomTarget(rng, Math.max(width, 4));
  const nextRip = CODE + BigInt(length);
  let disp: bigint;
  if (op === undefined) {
    disp = target;
  } else {
    const d = solve(rng, regs, op, asize, target, nextRip);
    if (d === undefined) return undefined;
    disp = d;
    if (effectiveAddress(regs, op, disp, asize, nextRip) !== target) {
      throw new Error(`generator: ${describe(addressing)} misses ${target}`);
    }
  }
  const usesRsp = op !== undefined && (op.base === RSP || op.index === RSP);
  if (!usesRsp) regs[RSP] = STACK - 8n * BigInt(rng.int(64));
  const imm = form.imm ? le(randomData(rng, immBytes), immBytes) : [];
  const bytes = [...head, ...m.bytes, ...le(disp, dispBytes), ...imm];
  const label = `${form.name} [${prefixLabel([...stray, ...legacy, ...rex])}] reg${reg} ${describe(addressing)}`;
  const mmio: MmioCase = {
    type: "mmio",
    mode,
    label,
    bytes,
    regs,
    rflags: randomFlags(rng),
    data: randomData(rng, width),
    gpa: target,
  };
  if (c.probe === undefined) return mmio;
  const at = c.extra.length > 0 ? bytes.indexOf(c.extra[0] as number) : -1;
  const reference =
    at >= 0 && (c.extra[0] === 0xf2 || c.extra[0] === 0xf3)
      ? bytes.filter((_, i) => i !== at)
      : undefined;
  return { ...mmio, probe: c.probe, ...(reference ? { reference } : {}) };
}

function ioCase(
  rng: Rng,
  mode: Mode,
  form: IoForm,
  p66: boolean,
  rexW: boolean,
  probe?: string,
): IoCase | undefined {
  if (rexW && mode !== 64) return undefined;
  const size = form.byte ? 1 : (mode === 16) !== p66 ? 2 : 4;
  const regs = randomRegs(rng);
  regs[RSP] = STACK;
  const port = form.imm8 ? rng.int(256) : rng.int(0x10000);
  if (!form.imm8) regs[2] = ((regs[2] as bigint) & ~0xffffn) | BigInt(port);
  const prefix = [...(p66 ? [0x66] : []), ...(rexW ? [0x48] : [])];
  const bytes = [...prefix, form.opcode, ...(form.imm8 ? [port] : [])];
  const io: IoCase = {
    type: "io",
    mode,
    label: `${form.name} [${prefixLabel(prefix)}] port ${port.toString(16)}`,
    bytes,
    regs,
    rflags: randomFlags(rng),
    data: randomData(rng, size),
    port,
    size,
    in: form.in,
    imm8: form.imm8,
  };
  return probe === undefined ? io : { ...io, probe };
}

/** Operand-size prefix combinations of a mode: none, 66, and in 64-bit mode REX.W, 66 + REX.W. */
function sizeVariants(mode: Mode): { p66: boolean; rexW: boolean }[] {
  const v = [
    { p66: false, rexW: false },
    { p66: true, rexW: false },
  ];
  if (mode === 64) v.push({ p66: false, rexW: true }, { p66: true, rexW: true });
  return v;
}

/** The cases of one mode: systematic sweeps, then random instructions. */
export function generate(mode: Mode, seed: bigint, randomCount: number): Case[] {
  const rng = new Rng(seed);
  const out: Case[] = [];
  const push = (c: Case | undefined) => {
    if (c !== undefined) out.push(c);
  };
  const regCount = mode === 64 ? 16 : 8;
  const plain = { p67: false, rexForce: false, extra: [] as number[] };

  // 1. every supported opcode × operand size × register (byte registers with and without REX)
  let k = 0;
  const forms16 = addressing16();
  const formsWide = addressing32(mode === 64 ? 64 : 32, mode === 64);
  for (const form of MOV_FORMS) {
    for (const size of sizeVariants(mode)) {
      if (form.access === "movsxd" && size.p66 && !size.rexW) continue; // 66 63: a probe below
      const regs = form.operand === "modrm" ? regCount : 1;
      for (let reg = 0; reg < regs; reg++) {
        for (const rexForce of form.byteReg && mode === 64 && reg >= 4 && reg < 8
          ? [false, true]
          : [false]) {
          for (const p67 of form.operand === "moffs" ? [false, true] : [false, k % 3 === 0]) {
            const pool =
              addressSize(mode, p67) === 16
                ? forms16
                : p67 && mode === 64
                  ? addressing32(32, true)
                  : formsWide;
            const addressing = form.operand === "moffs" ? undefined : pool[k++ % pool.length];
            push(
              movCase(rng, mode, {
                form,
                ...size,
                ...plain,
                p67,
                rexForce,
                reg,
                ...(addressing ? { addressing } : {}),
              }),
            );
          }
        }
      }
    }
  }

  // 2. every ModRM/SIB form of each address size, with a random ModRM opcode
  const modrmForms = MOV_FORMS.filter((f) => f.operand !== "moffs" && (!f.only64 || mode === 64));
  const sweeps: [boolean, Addressing[]][] =
    mode === 64
      ? [
          [false, addressing32(64, true)],
          [true, addressing32(32, true)],
        ]
      : mode === 32
        ? [
            [false, addressing32(32, false)],
            [true, forms16],
          ]
        : [
            [false, forms16],
            [true, addressing32(32, false)],
          ];
  for (const [p67, forms] of sweeps) {
    for (const addressing of forms) {
      for (let tries = 0; tries < 4; tries++) {
        const form = rng.pick(modrmForms);
        const size = rng.pick(sizeVariants(mode));
        if (form.access === "movsxd" && size.p66 && !size.rexW) continue;
        const c = movCase(rng, mode, {
          form,
          ...size,
          ...plain,
          p67,
          reg: form.operand === "modrm" ? rng.int(regCount) : 0,
          addressing,
        });
        if (c !== undefined) {
          out.push(c);
          break;
        }
      }
    }
  }

  // 3. random instructions: any form, prefixes in any order, segment overrides, stray REX
  for (let made = 0; made < randomCount; ) {
    const form = rng.pick(MOV_FORMS);
    const size = rng.pick(sizeVariants(mode));
    if (form.access === "movsxd" && size.p66 && !size.rexW) continue;
    const extra = Array.from({ length: rng.int(3) }, () => rng.pick(SEGMENT_PREFIXES));
    const c = movCase(rng, mode, {
      form,
      ...size,
      p67: rng.chance(0.3),
      rexForce: mode === 64 && rng.chance(0.2),
      reg: rng.int(regCount),
      extra,
      ...(mode === 64 && rng.chance(0.1) ? { strayRex: 0x40 | rng.int(16) } : {}),
    });
    if (c !== undefined) {
      out.push(c);
      made++;
    }
  }

  // 4. IN and OUT: every form × operand size × a few ports
  for (const form of IO_FORMS) {
    for (const p66 of [false, true]) {
      for (let i = 0; i < 12; i++) push(ioCase(rng, mode, form, p66, false));
    }
  }

  // 5. probes: forms vmexit does not decode, run to report what KVM does with them
  if (mode === 64) {
    const movsxd = MOV_FORMS.find((f) => f.access === "movsxd") as MovForm;
    for (let reg = 0; reg < 16; reg++) {
      push(
        movCase(rng, mode, {
          form: movsxd,
          p66: true,
          rexW: false,
          ...plain,
          reg,
          probe: "66 63 (MOVSXD, operand size 16)",
        }),
      );
    }
    for (const form of IO_FORMS) {
      for (let i = 0; i < 2; i++) push(ioCase(rng, mode, form, false, true, "REX.W on IN/OUT"));
    }
  }
  for (const rep of [0xf2, 0xf3]) {
    for (const form of MOV_FORMS) {
      for (let i = 0; i < 3; i++) {
        const size = rng.pick(sizeVariants(mode));
        if (form.access === "movsxd" && size.p66 && !size.rexW) continue;
        push(
          movCase(rng, mode, {
            form,
            ...size,
            ...plain,
            extra: [rep],
            reg: form.operand === "modrm" ? rng.int(regCount) : 0,
            probe: `${rep.toString(16).toUpperCase()} prefix on MOV`,
          }),
        );
      }
    }
  }
  return out;
}

/** The harness's input line of a case. */
export function caseLine(c: Case): string {
  const hex = (v: bigint) => v.toString(16);
  const code = c.bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${c.mode} ${code} ${hex(c.data)} ${c.regs.map(hex).join(" ")} ${hex(c.rflags)}`;
}
