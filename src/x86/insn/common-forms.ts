// The MOV forms a guest's MMIO accesses use nearly always, decoded with numbers alone: no legacy
// prefix, at most one REX prefix (64-bit mode), 32- or 64-bit addressing, and one of 88, 89, 8A,
// 8B, C6 /0, C7 /0, 0F B6, 0F B7, 0F BE, 0F BF with a memory operand, all bytes present. Every
// other instruction (prefixes, moffs, MOVSXD, 16-bit code, register operands, truncation) goes to
// the general decoder, which gives its reason; for these forms both give the same fields (a
// differential property test checks it). The forms' sizes are read here as numbers from a table
// built from the forms: comparing a form's size rule (a number or a string) costs more than the
// rest of the decode.
import { joinU64 } from "../../core/u64";
import type { X86OperandWidth } from "./access";
import type { X86MemAccessFields } from "./decode";
import { X86_ONE_BYTE_FORMS, X86_TWO_BYTE_FORMS, type X86MovForm } from "./forms";
import { X86_MODRM32_TAIL } from "./modrm";

type Bytes = Uint8Array | readonly number[];

/** A common form's code: bit 0 set for a common form. */
const COMMON = 1;
/** The register operand is a byte register (88, 8A, C6). */
const BYTE_REG = 2;
/** An immediate follows (C6, C7). */
const IMMEDIATE = 4;
/** Bits 4 and up: the memory width in bytes, 0 for the operand size. */
const WIDTH_SHIFT = 4;

/** The common forms' codes, indexed by opcode byte (0F xx by the byte after 0F); 0 = not common. */
const CODES_ONE: Uint8Array = /* @__PURE__ */ codes(X86_ONE_BYTE_FORMS);
const CODES_TWO: Uint8Array = /* @__PURE__ */ codes(X86_TWO_BYTE_FORMS);

function codes(forms: readonly (X86MovForm | undefined)[]): Uint8Array {
  const out = new Uint8Array(256);
  forms.forEach((f, op) => {
    if (f === undefined || f.operand === "moffs" || f.only64 || f.width === "operand-max-4") return;
    out[op] =
      COMMON |
      (f.regWidth === 1 ? BYTE_REG : 0) |
      (f.immediate ? IMMEDIATE : 0) |
      ((f.width === "operand" ? 0 : f.width) << WIDTH_SHIFT);
  });
  return out;
}

/**
 * Decodes `bytes` (`n` of them, checked) in 32- or 64-bit mode (`mode64`) into `f` when they are
 * one of the common forms above and returns true; false (with `f` untouched) for anything else.
 */
export function decodeCommonX86MemAccess(
  bytes: Bytes,
  n: number,
  mode64: boolean,
  f: X86MemAccessFields,
): boolean {
  if (n < 2) return false;
  let i = 0;
  let rex = 0;
  let op = bytes[0] as number;
  if (mode64 && (op & 0xf0) === 0x40) {
    rex = op;
    op = bytes[1] as number;
    i = 1;
  }
  let code: number;
  let form: X86MovForm | undefined;
  const twoByte = op === 0x0f;
  if (twoByte) {
    if (i + 2 >= n) return false;
    op = bytes[i + 1] as number;
    code = CODES_TWO[op] as number;
    form = X86_TWO_BYTE_FORMS[op];
    i += 2;
  } else {
    code = CODES_ONE[op] as number;
    form = X86_ONE_BYTE_FORMS[op];
    i += 1;
  }
  if (code === 0 || i >= n) return false;
  const modrm = bytes[i++] as number;
  // a register operand (mod 11), or C6 / C7 with a reg field other than /0
  if (modrm >= 0xc0 || ((code & IMMEDIATE) !== 0 && (modrm & 0x38) !== 0)) return false;
  if ((modrm & 0xc7) === 0x04) {
    // mod 00, rm 100: a SIB byte whose base 101 means "no base, disp32"
    if (i >= n) return false;
    if (((bytes[i] as number) & 7) === 5) i += 4;
  }
  i += X86_MODRM32_TAIL[modrm] as number;
  const operandSize: X86OperandWidth = (rex & 8) !== 0 ? 8 : 4;
  const fixed = code >>> WIDTH_SHIFT;
  const width = (fixed === 0 ? operandSize : fixed) as X86OperandWidth;
  const byteReg = (code & BYTE_REG) !== 0;
  if ((code & IMMEDIATE) !== 0) {
    const end = width === 1 ? i + 1 : i + 4;
    if (end > n) return false;
    f.reg = -1;
    f.immediate = immediateOf(bytes, i, width);
    f.length = end;
    f.key = -1;
  } else {
    if (i > n) return false;
    const reg = ((modrm >>> 3) & 7) | ((rex & 4) << 1);
    // byte registers 4–7 are AH, CH, DH, BH (16–19) unless a REX prefix is in effect
    const r = byteReg && rex === 0 && reg >= 4 ? reg + 12 : reg;
    f.reg = r;
    f.length = i;
    // opcode (0F xx as 0x100 | xx), REX (0, or its low nibble + 1), register 0–19, length 2–15
    f.key =
      ((((twoByte ? 0x100 | op : op) * 17 + (rex === 0 ? 0 : (rex & 15) + 1)) * 20 + r) << 4) | i;
  }
  f.form = form;
  f.width = width;
  f.regWidth = byteReg ? 1 : operandSize;
  f.prefixEnd = rex === 0 ? 0 : 1;
  f.rex = rex;
  return true;
}

/** The imm8 of C6, or the imm32 of C7 (sign-extended for a 64-bit store), as a u64. */
function immediateOf(bytes: Bytes, at: number, width: X86OperandWidth): bigint {
  if (width === 1) return joinU64(bytes[at] as number, 0);
  const v =
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0;
  return joinU64(v, width === 8 && v >= 0x8000_0000 ? 0xffff_ffff : 0);
}
