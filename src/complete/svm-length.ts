// How far an SVM VMM steps RIP. AMD APM Vol. 2 §15.7.1: with NRIP save the processor stores the
// address of the next sequential instruction in NEXT_RIP (VMCB 0x0C8) on instruction intercepts;
// IOIO also carries it in EXITINFO2. Nested page faults and unaccelerated AVIC accesses have no
// next RIP: as on VMX, their length is that of the MOV decoded from the decode-assist bytes.
import type { RegValue } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { splitU64, type U64Halves } from "../core/u64";
import { checkSnapshotObject } from "./check";
import { decodedLength, x86Mode } from "./x86-length";

/** The fields of an SVM snapshot the length is read from (a subset of `SvmSnapshot`). */
export interface SvmLengthSnapshot {
  /** EXITCODE (VMCB 0x070). */
  readonly exitCode: RegValue;
  /** EXITINFO2 (0x080): the next RIP of an IOIO exit. */
  readonly exitInfo2?: RegValue;
  /** NEXT_RIP (0x0C8). */
  readonly nextRip?: RegValue;
  /** The decode-assist bytes at RIP (0x0D1). */
  readonly instructionBytes?: Uint8Array | readonly number[];
  /** The guest registers; `rip` is read. */
  readonly regs?: { readonly rip?: RegValue };
}

/** EXITCODEs whose instruction length comes from the bytes: NPF, AVIC_UNACCELERATED_ACCESS. */
const DECODED_CODES: Readonly<Record<number, string>> = { 1024: "NPF", 1026: "AVIC_NOACCEL" };

/** EXITCODE IOIO, whose EXITINFO2 is the next RIP. */
const IOIO = 0x7b;

const next: U64Halves = { lo: 0, hi: 0 };
const rip: U64Halves = { lo: 0, hi: 0 };

/** The bytes to add to RIP after emulating the instruction of an SVM exit: `nextRip − rip`. */
export function svmInstructionLength(
  snapshot: SvmLengthSnapshot,
  options: { readonly cpuMode?: 16 | 32 | 64 } | undefined,
): number {
  checkSnapshotObject(snapshot);
  const mode = x86Mode(options);
  const code = splitU64(snapshot.exitCode, "exitCode", next);
  const decoded = code.hi === 0 ? DECODED_CODES[code.lo] : undefined;
  if (decoded !== undefined) return decodedLength(snapshot.instructionBytes, mode, decoded);
  const isIo = code.hi === 0 && code.lo === IOIO;
  let field = "nextRip";
  // NEXT_RIP is 0 when the processor saved none (KVM, too, uses it only when non-zero)
  let nextRip = snapshot.nextRip === 0 || snapshot.nextRip === 0n ? undefined : snapshot.nextRip;
  if (nextRip === undefined && isIo) {
    field = "exitInfo2";
    nextRip = snapshot.exitInfo2;
  }
  if (nextRip === undefined) {
    throw new VmExitError(
      "missing-register",
      `nextRip (VMCB 0x0C8${isIo ? ", or exitInfo2 for IOIO" : ""}) is needed for the instruction length, got ${show(snapshot.nextRip)}`,
      "nextRip",
    );
  }
  const regs = snapshot.regs;
  const ripValue = typeof regs === "object" && regs !== null ? regs.rip : undefined;
  if (ripValue === undefined) {
    throw new VmExitError(
      "missing-register",
      "regs.rip is needed for the instruction length (nextRip − rip)",
      "regs.rip",
    );
  }
  splitU64(nextRip, field, next);
  splitU64(ripValue, "regs.rip", rip);
  // RIP wraps at the operand size: 2^16 in 16-bit code, 2^32 in 32-bit code, 2^64 in 64-bit mode
  const lo = mode === 16 ? (next.lo - rip.lo) & 0xffff : (next.lo - rip.lo) >>> 0;
  const hi = mode === 64 ? (next.hi - rip.hi - (next.lo < rip.lo ? 1 : 0)) >>> 0 : 0;
  if (hi !== 0 || lo < 1 || lo > 15) {
    throw new VmExitError(
      "out-of-range",
      `${field} − regs.rip must be 1…15 (an x86 instruction's length), got ${field} ${show(
        typeof nextRip === "number" ? BigInt(nextRip) : nextRip,
      )} and regs.rip ${show(typeof ripValue === "number" ? BigInt(ripValue) : ripValue)}`,
      field,
    );
  }
  return lo;
}
