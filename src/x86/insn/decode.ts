import { show, VmExitError } from "../../core/error";
import { joinU64 } from "../../core/u64";
import type {
  X86CpuMode,
  X86MemAccess,
  X86MemAccessUnsupported,
  X86OperandWidth,
  X86Vendor,
} from "./access";
import { decodeCommonX86MemAccess } from "./common-forms";
import { X86_ONE_BYTE_FORMS, X86_TWO_BYTE_FORMS, type X86MovForm } from "./forms";
import { X86_MODRM16_TAIL, X86_MODRM32_TAIL } from "./modrm";
import { hexByte, opcodeLabel } from "./names";
import {
  X86_PREFIX_ADDRESS_SIZE,
  X86_PREFIX_KINDS,
  X86_PREFIX_LOCK,
  X86_PREFIX_NAMES,
  X86_PREFIX_NONE,
  X86_PREFIX_OPERAND_SIZE,
  X86_PREFIX_REP,
  X86_REX_NAMES,
} from "./prefixes";

/** F2 (REPNE / XACQUIRE) and F3 (REP / XRELEASE). */
const REPNE = 0xf2;
const REP = 0xf3;

/** The architectural limit on instruction length (SDM Vol. 2 §2.3.11: longer raises #GP). */
const MAX_INSN_LENGTH = 15;

type Bytes = Uint8Array | readonly number[];

/**
 * Decodes the MOV-family instruction at `bytes[0]` in `cpuMode`; returns `{ unsupported }` naming the
 * opcode (or the prefix, or the truncation) for anything outside the supported set. `vendor`
 * (default `"intel"`) picks the reading of `66 63`: Intel's 2-byte MOVSXD r16, r/m16 or the 4-byte
 * read AMD processors do.
 * @example decodeX86MemAccess([0x8b, 0x07], 64) // mov eax, [rdi]: { mnemonic: "MOV", direction: "read", width: 4, reg: 0, … }
 */
export function decodeX86MemAccess(
  bytes: Bytes,
  cpuMode: X86CpuMode,
  vendor: X86Vendor = "intel",
): X86MemAccess | X86MemAccessUnsupported {
  checkMode(cpuMode);
  checkVendor(vendor);
  return decodeCheckedX86MemAccess(bytes, checkX86InsnBytes(bytes, "bytes"), cpuMode, vendor);
}

/**
 * `decodeX86MemAccess` on bytes already checked by `checkX86InsnBytes` (`n` = their count) in a
 * valid mode, for a valid vendor.
 */
export function decodeCheckedX86MemAccess(
  bytes: Bytes,
  n: number,
  cpuMode: X86CpuMode,
  vendor: X86Vendor,
): X86MemAccess | X86MemAccessUnsupported {
  const why = decodeX86MemAccessFields(bytes, n, cpuMode, vendor);
  return why === undefined ? x86MemAccessOf(bytes) : { unsupported: why };
}

/** What `decodeX86MemAccessFields` decoded last (read it at once: the next decode overwrites it). */
export interface X86MemAccessFields {
  /** The opcode's form (`undefined` before the first decode). */
  form: X86MovForm | undefined;
  /** Memory access size in bytes. */
  width: X86OperandWidth;
  /** Register index (as `X86MemAccess.reg`); −1 for an immediate store. */
  reg: number;
  /** Size of the register operand. */
  regWidth: X86OperandWidth;
  /** The immediate of a store of one (0n otherwise). */
  immediate: bigint;
  /** Instruction length in bytes. */
  length: number;
  /** Where the opcode starts (after the prefixes, the REX one included). */
  prefixEnd: number;
  /** The REX prefix in effect, 0 when none. */
  rex: number;
  /**
   * For an access of the common forms with a register operand, a number that determines the
   * whole `X86MemAccess` (opcode, REX prefix, register, length); −1 for any other.
   */
  key: number;
}

/** A fields record before any decode (the decoders write into one; tests make their own). */
/* @__NO_SIDE_EFFECTS__ */
export function newX86MemAccessFields(): X86MemAccessFields {
  return {
    form: undefined,
    width: 4,
    reg: 0,
    regWidth: 4,
    immediate: 0n,
    length: 0,
    prefixEnd: 0,
    rex: 0,
    key: -1,
  };
}

/** The fields of the last access `decodeX86MemAccessFields` decoded. */
export const X86_MEM_ACCESS_FIELDS: X86MemAccessFields = /* @__PURE__ */ newX86MemAccessFields();

/** The accesses `sharedX86MemAccessOf` built, by key (at most `SHARED_MAX`). */
const SHARED: Map<number, X86MemAccess> = /* @__PURE__ */ new Map();
/** How many accesses `SHARED` keeps: a guest's MMIO uses a handful of encodings. */
const SHARED_MAX = 4096;

/**
 * `x86MemAccessOf`, shared frozen for the common forms with a register operand (the MMIO path's
 * causes): the same instruction decodes to one object, built once.
 */
export function sharedX86MemAccessOf(bytes: Bytes): X86MemAccess {
  const key = X86_MEM_ACCESS_FIELDS.key;
  if (key < 0) return x86MemAccessOf(bytes);
  const shared = SHARED.get(key);
  if (shared !== undefined) return shared;
  const access = Object.freeze(x86MemAccessOf(bytes));
  if (SHARED.size < SHARED_MAX) SHARED.set(key, access);
  return access;
}

/**
 * The `X86MemAccess` of the last access `decodeX86MemAccessFields` decoded from `bytes` (the
 * decoders that want only the exit never build it).
 */
export function x86MemAccessOf(bytes: Bytes): X86MemAccess {
  const f = X86_MEM_ACCESS_FIELDS;
  const form = f.form as X86MovForm;
  const prefixes = prefixNames(bytes, f.prefixEnd, f.rex);
  if (f.reg < 0) {
    return {
      mnemonic: form.mnemonic,
      opcode: form.opcode,
      direction: form.direction,
      width: f.width,
      regWidth: f.regWidth,
      signedExt: form.signedExt,
      immediate: f.immediate,
      length: f.length,
      prefixes,
    };
  }
  return {
    mnemonic: form.mnemonic,
    opcode: form.opcode,
    direction: form.direction,
    width: f.width,
    reg: f.reg,
    regWidth: f.regWidth,
    signedExt: form.signedExt,
    length: f.length,
    prefixes,
  };
}

/**
 * `decodeCheckedX86MemAccess` without building the result: the access's fields go to
 * `X86_MEM_ACCESS_FIELDS`, and the return value is `undefined`, or why the bytes are no supported
 * access.
 */
export function decodeX86MemAccessFields(
  bytes: Bytes,
  n: number,
  cpuMode: X86CpuMode,
  vendor: X86Vendor,
): string | undefined {
  if (cpuMode !== 16 && decodeCommonX86MemAccess(bytes, n, cpuMode === 64, X86_MEM_ACCESS_FIELDS)) {
    return undefined;
  }
  return decodeGeneralX86MemAccess(bytes, n, cpuMode, vendor);
}

/**
 * The general decoder behind `decodeX86MemAccessFields` (every prefix, form and mode), which the
 * common forms skip: the same contract.
 */
export function decodeGeneralX86MemAccess(
  bytes: Bytes,
  n: number,
  cpuMode: X86CpuMode,
  vendor: X86Vendor,
): string | undefined {
  const mode64 = cpuMode === 64;

  let i = 0;
  let operandSize66 = false;
  let addressSize67 = false;
  let rex = 0;
  let lock = false;
  let rep = -1;
  for (;;) {
    if (i >= n) {
      return n === 0 ? "no instruction bytes" : `truncated: the ${n} bytes given are all prefixes`;
    }
    if (i >= MAX_INSN_LENGTH) return TOO_LONG;
    const b = bytes[i] as number;
    const kind = X86_PREFIX_KINDS[b] as number;
    if (kind !== X86_PREFIX_NONE) {
      rex = 0; // a REX prefix followed by a legacy prefix is ignored (SDM Vol. 2 §2.2.1)
      if (kind === X86_PREFIX_OPERAND_SIZE) operandSize66 = true;
      else if (kind === X86_PREFIX_ADDRESS_SIZE) addressSize67 = true;
      else if (kind === X86_PREFIX_LOCK) lock = true;
      // of F2 and F3 the one nearest the opcode decides (SDM Vol. 2 "XACQUIRE/XRELEASE")
      else if (kind === X86_PREFIX_REP) rep = b;
    } else if (mode64 && (b & 0xf0) === 0x40) {
      rex = b;
    } else {
      break;
    }
    i++;
  }
  const prefixEnd = i;

  let op = bytes[i++] as number;
  let form: X86MovForm | undefined;
  const twoByte = op === 0x0f;
  if (twoByte) {
    if (i >= n) return "truncated: the two-byte escape 0F has no second opcode byte";
    op = bytes[i++] as number;
    form = X86_TWO_BYTE_FORMS[op];
  } else {
    form = X86_ONE_BYTE_FORMS[op];
  }
  if (form === undefined || (form.only64 && !mode64)) {
    return `opcode ${opcodeLabel(twoByte, op)} is not a supported MOV-family instruction`;
  }
  if (lock) {
    return `prefix F0 (LOCK) on ${form.mnemonic} ${form.opcode} raises #UD`;
  }
  if (rep === REPNE) {
    return `prefix F2 (REPNE/XACQUIRE) on ${form.mnemonic} ${form.opcode}: XACQUIRE needs LOCK, which a MOV cannot take, and REPNE on a non-string instruction is undefined`;
  }
  if (rep === REP && !form.xrelease) {
    return `prefix F3 (REP/XRELEASE) on ${form.mnemonic} ${form.opcode}: XRELEASE applies to the stores 88, 89, C6 and C7 only, and REP on a non-string instruction is undefined`;
  }

  const operandSize: X86OperandWidth =
    (rex & 8) !== 0 ? 8 : (cpuMode === 16) !== operandSize66 ? 2 : 4;
  const addressSize = mode64 ? (addressSize67 ? 4 : 8) : (cpuMode === 32) !== addressSize67 ? 4 : 2;
  let reg = 0;
  if (form.operand === "moffs") {
    i += addressSize;
  } else {
    if (i >= n) return `truncated: ${form.opcode} has no ModRM byte`;
    const modrm = bytes[i++] as number;
    const regField = (modrm >> 3) & 7;
    if (form.operand === "modrm/0" && regField !== 0) {
      return `opcode ${hexByte(op)} /${regField} is not a supported MOV-family instruction (only /0 is MOV)`;
    }
    if (modrm >= 0xc0) {
      return `${form.mnemonic} ${form.opcode} with ModRM mod=11 has a register operand, not a memory access`;
    }
    if (addressSize === 2) {
      i += X86_MODRM16_TAIL[modrm] as number;
    } else {
      if ((modrm & 0xc7) === 0x04) {
        // mod 00, rm 100: a SIB byte whose base 101 means "no base, disp32"
        if (i >= n) return `truncated: ${form.opcode} has no SIB byte`;
        if (((bytes[i] as number) & 7) === 5) i += 4;
      }
      i += X86_MODRM32_TAIL[modrm] as number;
    }
    reg = regField | ((rex & 4) << 1);
  }

  const width: X86OperandWidth =
    form.width === "operand"
      ? operandSize
      : form.width === "operand-max-4"
        ? // MOVSXD reads r/m32, except that Intel's 66 63 reads r/m16 (AMD's reads 4 bytes)
          operandSize === 2 && vendor === "intel"
          ? 2
          : 4
        : form.width;
  const regWidth: X86OperandWidth = form.regWidth === 1 ? 1 : operandSize;
  const immLength = form.immediate ? (width === 1 ? 1 : width === 2 ? 2 : 4) : 0;
  const length = i + immLength;
  if (length > MAX_INSN_LENGTH) return TOO_LONG;
  if (length > n) {
    return `truncated: ${form.mnemonic} ${form.opcode} needs ${length} bytes, only ${n} given`;
  }

  const f = X86_MEM_ACCESS_FIELDS;
  f.form = form;
  f.width = width;
  f.regWidth = regWidth;
  f.length = length;
  f.prefixEnd = prefixEnd;
  f.rex = rex;
  f.key = -1;
  if (form.immediate) {
    f.reg = -1;
    f.immediate = readImmediate(bytes, i, immLength, width);
    return undefined;
  }
  // byte registers 4–7 are AH, CH, DH, BH (16–19) unless a REX prefix is in effect
  f.reg = regWidth === 1 && rex === 0 && reg >= 4 ? reg + 12 : reg;
  return undefined;
}

const TOO_LONG = `the instruction is longer than ${MAX_INSN_LENGTH} bytes (#GP)`;

/** Little-endian immediate of 1, 2 or 4 bytes; the imm32 of a 64-bit store is sign-extended. */
function readImmediate(bytes: Bytes, at: number, size: number, width: X86OperandWidth): bigint {
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = v * 256 + (bytes[at + k] as number);
  // joined through the u64 view (`BigInt(number)` is a runtime call); a negative imm32 of a
  // 64-bit store has all-ones high bits
  return joinU64(v, width === 8 && v >= 0x8000_0000 ? 0xffff_ffff : 0);
}

/**
 * The prefix lists of instructions with no legacy prefix: none, or a REX prefix alone (index
 * `rex & 15` + 1), shared and frozen so that the common case allocates nothing.
 */
const REX_ONLY: readonly (readonly string[])[] = /* @__PURE__ */ [
  Object.freeze([]),
  ...X86_REX_NAMES.map((name) => Object.freeze([name])),
];

/** The legacy prefixes before `end`, then the REX prefix in effect (if any). */
function prefixNames(bytes: Bytes, end: number, rex: number): readonly string[] {
  // `end` counts the REX prefix too: with at most one byte before the opcode and a REX in effect,
  // that byte is the REX
  if (end === 0 || (end === 1 && rex !== 0))
    return REX_ONLY[rex === 0 ? 0 : (rex & 15) + 1] as readonly string[];
  const out: string[] = [];
  for (let k = 0; k < end; k++) {
    const b = bytes[k] as number;
    if (X86_PREFIX_KINDS[b] !== X86_PREFIX_NONE) out.push(X86_PREFIX_NAMES[b] as string);
  }
  if (rex !== 0) out.push(X86_REX_NAMES[rex & 15] as string);
  return out;
}

function checkMode(cpuMode: unknown): void {
  if (cpuMode !== 16 && cpuMode !== 32 && cpuMode !== 64) {
    throw new VmExitError(
      "invalid-argument",
      `cpuMode must be 16, 32 or 64, got ${show(cpuMode)}`,
      "cpuMode",
    );
  }
}

/** Checks the `vendor` argument: `"intel"` or `"amd"`. */
export function checkVendor(vendor: unknown): void {
  if (vendor !== "intel" && vendor !== "amd") {
    throw new VmExitError(
      "invalid-argument",
      `vendor must be "intel" or "amd", got ${show(vendor)}`,
      "vendor",
    );
  }
}

/**
 * Checks that `bytes` (the argument named `field`) is a Uint8Array or an array of integers 0…255;
 * returns its length.
 */
export function checkX86InsnBytes(bytes: unknown, field: string): number {
  // kept small, so that the engine inlines it: a Uint8Array costs no call
  if (bytes instanceof Uint8Array) return bytes.length;
  return checkByteArray(bytes, field);
}

/** `checkX86InsnBytes` of anything but a Uint8Array. */
function checkByteArray(bytes: unknown, field: string): number {
  if (!Array.isArray(bytes)) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be a Uint8Array or an array of integers 0…255, got ${show(bytes)}`,
      field,
    );
  }
  for (let k = 0; k < bytes.length; k++) {
    const b: unknown = bytes[k];
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 0xff) {
      throw new VmExitError(
        "invalid-argument",
        `${field}[${k}] must be an integer 0…255, got ${show(b)}`,
        `${field}[${k}]`,
      );
    }
  }
  return bytes.length;
}
