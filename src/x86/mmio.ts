import type { VmExit } from "../core/exit";
import { hex, joinU64 } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { checkX86InsnBytes, decodeCheckedX86MemAccess } from "./insn/decode";
import type { X86MemAccess } from "./insn/index";
import { cpuModeOption } from "./options";
import { regHalves } from "./regs";
import type { VmxCause } from "./vmx/cause";
import { type VmxDecodeOptions, type VmxSnapshot, X86_REG_NAMES } from "./vmx/snapshot";

/** The cause fields the MMIO path fills in. */
export type MmioCauseFields = {
  -readonly [K in "instruction" | "unsupportedInstruction" | "detail"]?: VmxCause[K];
};

/** The source register of a store, masked to the access width (16–19 = AH, CH, DH, BH). */
function storeData(snapshot: VmxSnapshot, access: X86MemAccess, reg: number): bigint {
  if (reg >= 16) {
    const h = regHalves(snapshot, X86_REG_NAMES[reg - 16] as "rax");
    return BigInt((h.lo >>> 8) & 0xff);
  }
  const h = regHalves(snapshot, X86_REG_NAMES[reg] as "rax");
  switch (access.width) {
    case 1:
      return BigInt(h.lo & 0xff);
    case 2:
      return BigInt(h.lo & 0xffff);
    case 4:
      return BigInt(h.lo);
    default:
      return joinU64(h.lo, h.hi);
  }
}

/**
 * Turns an MMIO candidate at `addr` into `MmioRead` / `MmioWrite` when the instruction bytes decode
 * to a supported MOV form going in the `expected` direction and `isMmio` agrees; else `undefined`,
 * with the reason recorded in `cause`.
 */
export function decodeMmio(
  snapshot: VmxSnapshot,
  options: VmxDecodeOptions | undefined,
  addr: bigint,
  expected: "read" | "write" | undefined,
  cause: MmioCauseFields,
): VmExit | undefined {
  const raw = snapshot.instructionBytes;
  if (raw === undefined) return undefined;
  const n = checkX86InsnBytes(raw, "instructionBytes");
  const decoded = decodeCheckedX86MemAccess(raw, n, cpuModeOption(options?.cpuMode));
  if ("unsupported" in decoded) {
    cause.unsupportedInstruction = decoded.unsupported;
    return undefined;
  }
  cause.instruction = decoded;
  if (expected !== undefined && decoded.direction !== expected) {
    cause.detail = `the instruction ${decoded.direction}s memory but the exit reports a ${expected}`;
    return undefined;
  }
  const isMmio = options?.isMmio;
  if (isMmio !== undefined && !isMmio(addr)) {
    cause.detail = `options.isMmio(${hex(addr)}) returned false`;
    return undefined;
  }
  if (decoded.direction === "read") {
    return unchecked.mmioRead(
      addr,
      decoded.width,
      decoded.reg as number,
      decoded.regWidth,
      decoded.signedExt,
    );
  }
  const data =
    decoded.reg === undefined
      ? (decoded.immediate as bigint)
      : storeData(snapshot, decoded, decoded.reg);
  return unchecked.mmioWrite(addr, decoded.width, data);
}
