import { show, VmExitError, type VmExitErrorCode } from "../../core/error";
import type { X86CpuMode, X86MemAccessSpec, X86OperandWidth, X86Vendor } from "./access";

/** Why an access has no encoding: the error `encodeX86MemAccess` throws, as data. */
export interface X86MemAccessRejection {
  readonly code: VmExitErrorCode;
  readonly field: string;
  readonly message: string;
}

/** RSI and RDI in encoding order: the base registers the encoder addresses memory with. */
const RSI = 6;
const RDI = 7;

/**
 * The register the canonical memory operand is based on: RSI (SI / ESI / RSI by mode), or RDI
 * when the instruction's register operand is RSI itself (`reg` 16–19 are AH…BH, parts of RAX…RBX),
 * so that the address and the data are never in one register.
 */
export function x86MemBaseRegister(reg: number | undefined): 6 | 7 {
  return reg === RSI ? RDI : RSI;
}

/** ModRM.rm of [base] with mod 00: [RSI] 110 / [RDI] 111 in 32/64-bit addressing, [SI] 100 / [DI] 101 in 16-bit. */
function baseRm(base: 6 | 7, mode: X86CpuMode): number {
  return mode === 16 ? base - 2 : base;
}

/**
 * Encodes a MOV-family instruction whose decode (in `cpuMode`, by `vendor`, default `"intel"`)
 * gives this access; throws `VmExitError("unrepresentable")` when no supported form exists and
 * `"invalid-argument"` for ill-formed fields.
 */
export function encodeX86MemAccess(
  access: X86MemAccessSpec,
  cpuMode: X86CpuMode,
  vendor: X86Vendor = "intel",
): Uint8Array {
  const r = planX86MemAccess(access, cpuMode, vendor);
  if (r instanceof Uint8Array) return r;
  throw new VmExitError(r.code, r.message, r.field);
}

/** True when `encodeX86MemAccess` accepts this access (agrees with it exactly; never throws). */
export function canEncodeX86MemAccess(
  access: X86MemAccessSpec,
  cpuMode: X86CpuMode,
  vendor: X86Vendor = "intel",
): boolean {
  return planX86MemAccess(access, cpuMode, vendor) instanceof Uint8Array;
}

function reject(code: VmExitErrorCode, field: string, message: string): X86MemAccessRejection {
  return { code, field, message };
}

function isWidth(v: unknown): v is X86OperandWidth {
  return v === 1 || v === 2 || v === 4 || v === 8;
}

/** The instruction bytes `encodeX86MemAccess` returns for `access`, or why there are none (never throws). */
export function planX86MemAccess(
  access: unknown,
  cpuMode: unknown,
  vendor: unknown = "intel",
): Uint8Array | X86MemAccessRejection {
  if (cpuMode !== 16 && cpuMode !== 32 && cpuMode !== 64) {
    return reject(
      "invalid-argument",
      "cpuMode",
      `cpuMode must be 16, 32 or 64, got ${show(cpuMode)}`,
    );
  }
  if (vendor !== "intel" && vendor !== "amd") {
    return reject(
      "invalid-argument",
      "vendor",
      `vendor must be "intel" or "amd", got ${show(vendor)}`,
    );
  }
  if (typeof access !== "object" || access === null) {
    return reject("invalid-argument", "access", `access must be an object, got ${show(access)}`);
  }
  const a = access as Record<string, unknown>;
  const { direction, width, regWidth, signedExt, reg, immediate } = a;
  if (direction !== "read" && direction !== "write") {
    return reject(
      "invalid-argument",
      "direction",
      `direction must be "read" or "write", got ${show(direction)}`,
    );
  }
  if (!isWidth(width)) {
    return reject("invalid-argument", "width", `width must be 1, 2, 4 or 8, got ${show(width)}`);
  }
  if (!isWidth(regWidth)) {
    return reject(
      "invalid-argument",
      "regWidth",
      `regWidth must be 1, 2, 4 or 8, got ${show(regWidth)}`,
    );
  }
  if (typeof signedExt !== "boolean") {
    return reject(
      "invalid-argument",
      "signedExt",
      `signedExt must be a boolean, got ${show(signedExt)}`,
    );
  }
  if (
    reg !== undefined &&
    (typeof reg !== "number" || !Number.isInteger(reg) || reg < 0 || reg > 19)
  ) {
    return reject("invalid-argument", "reg", `reg must be an integer 0…19, got ${show(reg)}`);
  }
  if (immediate !== undefined) {
    if (typeof immediate !== "bigint" || immediate < 0n || immediate >> BigInt(8 * width) !== 0n) {
      return reject(
        "invalid-argument",
        "immediate",
        `immediate must be a bigint 0 ≤ v < 2^${8 * width} (width ${width}), got ${show(immediate)}`,
      );
    }
  }
  const mode: X86CpuMode = cpuMode;
  if (direction === "read") {
    if (reg === undefined)
      return reject("invalid-argument", "reg", "a read needs a destination reg");
    if (immediate !== undefined) {
      return reject(
        "invalid-argument",
        "immediate",
        `a read has no immediate, got ${show(immediate)}`,
      );
    }
    return planRead(width, reg, regWidth, signedExt, mode, vendor);
  }
  if (signedExt) {
    return reject(
      "unrepresentable",
      "signedExt",
      "a store does not extend: signedExt must be false for a write",
    );
  }
  if (regWidth !== width) {
    return reject(
      "unrepresentable",
      "regWidth",
      `a MOV store has regWidth = width, got regWidth ${regWidth} with width ${width}`,
    );
  }
  if (reg !== undefined && immediate !== undefined) {
    return reject(
      "invalid-argument",
      "immediate",
      `a write has a reg (${reg}) or an immediate, not both`,
    );
  }
  if (reg !== undefined) {
    // 88 /r MOV r/m8, r8; 89 /r MOV r/m16/32/64, r
    return assemble(mode, width, width === 1 ? 0x88 : 0x89, -1, reg, 0, 0n);
  }
  if (immediate === undefined) {
    return reject("invalid-argument", "reg", "a write needs a source reg or an immediate");
  }
  if (width === 8 && immediate >= 0x8000_0000n && immediate < 0xffff_ffff_8000_0000n) {
    return reject(
      "unrepresentable",
      "immediate",
      `REX.W C7 /0 stores a sign-extended imm32; ${show(immediate)} is not one`,
    );
  }
  // C6 /0 ib MOV r/m8, imm8; C7 /0 iw/id MOV r/m16/32, imm; REX.W C7 /0 id MOV r/m64, imm32
  return assemble(
    mode,
    width,
    width === 1 ? 0xc6 : 0xc7,
    -1,
    0,
    width === 8 ? 4 : width,
    immediate,
  );
}

function planRead(
  width: X86OperandWidth,
  reg: number,
  regWidth: X86OperandWidth,
  signedExt: boolean,
  mode: X86CpuMode,
  vendor: X86Vendor,
): Uint8Array | X86MemAccessRejection {
  if (vendor === "amd" && signedExt && width === 4 && regWidth === 2 && mode === 64) {
    // 66 63 /r: an AMD processor reads 4 bytes and keeps the low 16 bits of the sign extension
    return assemble(mode, 2, 0x63, -1, reg, 0, 0n);
  }
  if (width > regWidth) {
    return reject(
      "unrepresentable",
      "width",
      `no MOV-family load narrows: width ${width} is wider than regWidth ${regWidth}`,
    );
  }
  if (!signedExt) {
    // 8A /r MOV r8, r/m8; 8B /r MOV r, r/m
    if (width === regWidth) return assemble(mode, width, width === 1 ? 0x8a : 0x8b, -1, reg, 0, 0n);
    // 0F B6 /r MOVZX r, r/m8; 0F B7 /r MOVZX r, r/m16
    if (width <= 2) return assemble(mode, regWidth, 0x0f, width === 1 ? 0xb6 : 0xb7, reg, 0, 0n);
    return reject(
      "unrepresentable",
      "regWidth",
      "no MOVZX form loads a dword into a 64-bit register (mov r32 reports regWidth 4)",
    );
  }
  if (width === 1) {
    if (regWidth === 1) {
      return reject("unrepresentable", "signedExt", "no MOVSX form has a byte destination");
    }
    return assemble(mode, regWidth, 0x0f, 0xbe, reg, 0, 0n); // 0F BE /r MOVSX r, r/m8
  }
  if (width === 2) return assemble(mode, regWidth, 0x0f, 0xbf, reg, 0, 0n); // 0F BF /r MOVSX r, r/m16
  if (width === 8) {
    return reject(
      "unrepresentable",
      "signedExt",
      "no MOVSX form loads 8 bytes with sign extension",
    );
  }
  if (mode !== 64) {
    return reject(
      "unrepresentable",
      "signedExt",
      `MOVSXD (63) exists only in 64-bit mode, not in ${mode}-bit mode`,
    );
  }
  return assemble(mode, regWidth, 0x63, -1, reg, 0, 0n); // (REX.W) 63 /r MOVSXD r, r/m32
}

/**
 * Lays out [66] [REX] opcode [opcode2] ModRM [immediate] with the register operand `reg` of size
 * `size` (1 for the byte forms 88/8A/C6), or why `reg` cannot appear in `mode`.
 */
function assemble(
  mode: X86CpuMode,
  size: X86OperandWidth,
  opcode: number,
  opcode2: number,
  reg: number,
  immLength: number,
  immediate: bigint,
): Uint8Array | X86MemAccessRejection {
  if (size === 8 && mode !== 64) {
    return reject(
      "unrepresentable",
      "width",
      `8-byte operands need REX.W, which exists only in 64-bit mode, not ${mode}-bit`,
    );
  }
  let rex = size === 8 ? 0x48 : 0;
  let regField = reg;
  if (reg >= 16) {
    if (size !== 1) {
      return reject(
        "unrepresentable",
        "reg",
        `reg ${reg} (AH/CH/DH/BH) is a byte register, but the register operand has ${size} bytes`,
      );
    }
    regField = reg - 12; // AH…BH are ModRM.reg 4–7 with no REX prefix
  } else if (reg >= 8) {
    if (mode !== 64) {
      return reject(
        "unrepresentable",
        "reg",
        `reg ${reg} (R8–R15) needs REX.R, which exists only in 64-bit mode, not ${mode}-bit`,
      );
    }
    rex |= 0x44;
    regField = reg - 8;
  } else if (reg >= 4 && size === 1) {
    if (mode !== 64) {
      return reject(
        "unrepresentable",
        "reg",
        `reg ${reg} as a byte register (SPL/BPL/SIL/DIL) needs a REX prefix, which exists only in 64-bit mode, not ${mode}-bit`,
      );
    }
    rex |= 0x40;
  }
  const prefix66 = size !== 1 && (mode === 16 ? size === 4 : size === 2);
  const length = (prefix66 ? 1 : 0) + (rex !== 0 ? 1 : 0) + (opcode2 >= 0 ? 3 : 2) + immLength;
  const out = new Uint8Array(length);
  let i = 0;
  if (prefix66) out[i++] = 0x66;
  if (rex !== 0) out[i++] = rex;
  out[i++] = opcode;
  if (opcode2 >= 0) out[i++] = opcode2;
  out[i++] = (regField << 3) | baseRm(x86MemBaseRegister(reg), mode);
  let imm = Number(immediate & 0xffff_ffffn);
  for (let k = 0; k < immLength; k++) {
    out[i++] = imm & 0xff;
    imm = Math.floor(imm / 256);
  }
  return out;
}
