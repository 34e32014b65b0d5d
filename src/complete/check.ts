// Checks of the exits and values the completion functions are given. Exits are plain objects a
// caller may have built by hand, so every field that is read is checked; a defect is a
// `VmExitError` naming the field and the value.
import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { ExitKind, MmioReadExit, SysRegReadExit } from "../core/exit";
import { isAccessWidth } from "../core/scalars/access-width";
import { toU64, U64_MAX } from "../core/u64";

/** Checks that `exit` is an object of kind `kind`. */
export function checkKind(exit: unknown, kind: ExitKind): void {
  if (typeof exit !== "object" || exit === null) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a ${kind} exit, got ${show(exit)}`,
      "exit",
    );
  }
  const k = (exit as { kind?: unknown }).kind;
  if (k !== kind) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a ${kind} exit, got kind ${show(k)}`,
      "exit.kind",
    );
  }
}

/** Checks an access width field (1, 2, 4 or 8 bytes). */
export function checkWidth(v: unknown, field: string): void {
  if (!isAccessWidth(v)) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be 1, 2, 4 or 8, got ${show(v)}`,
      field,
    );
  }
}

/** Checks a register index against the architecture's range `0…max`. */
export function checkReg(v: unknown, max: number, arch: string, field: string): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be an integer 0…${max} on ${arch}, got ${show(v)}`,
      field,
    );
  }
}

/** The register operand widths of an architecture as a bit set of 1, 2, 4, 8, and their names. */
export interface RegWidths {
  /** 1 | 2 | 4 | 8 for x86, 4 | 8 for AArch64 and RISC-V. */
  readonly mask: number;
  /** For messages: "1, 2, 4 or 8". */
  readonly text: string;
}

/**
 * Checks a `MmioRead` exit for an architecture whose registers are numbered `0…maxReg` and whose
 * register operands are `regWidths` wide.
 */
export function checkMmioRead(
  exit: MmioReadExit,
  arch: string,
  maxReg: number,
  regWidths: RegWidths,
): void {
  checkKind(exit, "MmioRead");
  checkWidth(exit.width, "exit.width");
  const rw = exit.regWidth;
  if (!isAccessWidth(rw) || (regWidths.mask & rw) === 0) {
    throw new VmExitError(
      "invalid-argument",
      `exit.regWidth must be ${regWidths.text} on ${arch}, got ${show(rw)}`,
      "exit.regWidth",
    );
  }
  checkReg(exit.reg, maxReg, arch, "exit.reg");
  if (typeof exit.signedExt !== "boolean") {
    throw new VmExitError(
      "invalid-argument",
      `exit.signedExt must be a boolean, got ${show(exit.signedExt)}`,
      "exit.signedExt",
    );
  }
}

/** Checks a `SysRegRead` exit whose destination is numbered `0…maxReg`. */
export function checkSysRegRead(exit: SysRegReadExit, arch: string, maxReg: number): void {
  checkKind(exit, "SysRegRead");
  checkReg(exit.reg, maxReg, arch, "exit.reg");
}

/** Checks that a snapshot is an object. */
export function checkSnapshotObject(snapshot: unknown): void {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
}

/** Checks that `bytes` (the snapshot field `field`) is a Uint8Array or an array of integers 0…255. */
export function checkBytes(bytes: unknown, field: string): void {
  if (bytes instanceof Uint8Array) return;
  if (!Array.isArray(bytes)) {
    throw new VmExitError(
      "invalid-argument",
      `${field} must be a Uint8Array or an array of integers 0…255, got ${show(bytes)}`,
      field,
    );
  }
  for (let i = 0; i < bytes.length; i++) {
    const b: unknown = bytes[i];
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 0xff) {
      throw new VmExitError(
        "invalid-argument",
        `${field}[${i}] must be an integer 0…255, got ${show(b)}`,
        `${field}[${i}]`,
      );
    }
  }
}

/** Checks a u64 given as a bigint or a non-negative safe integer, without converting it. */
export function checkU64(v: unknown, field: string): void {
  if (
    typeof v === "bigint" ? v >= 0n && v <= U64_MAX : Number.isSafeInteger(v) && (v as number) >= 0
  ) {
    return;
  }
  toU64(v, field); // throws the VmExitError that names the field and the value
}

/** `data` as the whole u64 an 8-byte load into a 64-bit register writes (checked). */
export function fullWidth(data: RegValue): bigint {
  if (typeof data === "bigint" && data >= 0n && data <= U64_MAX) return data;
  return toU64(data, "data");
}
