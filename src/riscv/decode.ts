import { nothing } from "../core/constructors";
import type { DecodedExit } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { hex, joinU64, type U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { decodeEcall } from "./ecall";
import { decodeGuestPageFault, GPF_CODE } from "./guest-page-fault";
import { type ResolvedOptions, resolveOptions } from "./options";
import { checkXlen, readReg, regToBig } from "./registers";
import {
  exceptionAllocation,
  INTERRUPT_PLATFORM_BASE,
  interruptAllocation,
  PLATFORM_INTERRUPT_NAME,
  SCAUSE_EXCEPTION_DESCRIPTIONS,
  SCAUSE_EXCEPTION_NAMES,
  SCAUSE_INTERRUPT_DESCRIPTIONS,
  SCAUSE_INTERRUPT_NAMES,
} from "./scause";
import type { RiscvCause, RiscvDecodeOptions, RiscvSnapshot, RiscvXlen } from "./types";
import { decodeVirtualInstruction } from "./virtual-instruction";

/** Exception code of an ECALL from VS-mode. */
const ECALL_VS = 10;
/** Exception code of a virtual-instruction trap. */
const VIRTUAL_INSTRUCTION = 22;

const halves: U64Halves = { lo: 0, hi: 0 };

function reserved(kind: string, code: bigint | number, scause: unknown): never {
  throw new VmExitError(
    "reserved-encoding",
    `scause ${show(scause)} is a reserved ${kind} code (${hex(code)})`,
    "scause",
  );
}

/**
 * Decodes RISC-V H-extension trap state (scause, stval, htval, htinst, x0…x31) into a `VmExit`
 * and a `RiscvCause` (DESIGN §3.3).
 */
export function decodeRiscv(
  snapshot: RiscvSnapshot,
  options?: RiscvDecodeOptions,
): DecodedExit<RiscvCause> {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const opts = resolveOptions(options);
  const xlen = checkXlen(snapshot.xlen);
  const raw = snapshot.scause;
  const scause = readReg(raw, "scause", xlen, halves);
  const lo = halves.lo;
  const hi = halves.hi;
  if (xlen === 64 ? hi >>> 31 === 1 : lo >>> 31 === 1) {
    const codeHi = xlen === 64 ? hi & 0x7fff_ffff : 0;
    const codeLo = xlen === 64 ? lo : lo & 0x7fff_ffff;
    const vector = joinU64(codeLo, codeHi);
    return decodeInterrupt(raw, scause, codeHi * 0x1_0000_0000 + codeLo, vector, xlen);
  }
  if (hi !== 0) reserved("exception", joinU64(lo, hi), raw);
  return decodeException(raw, lo, scause, snapshot, xlen, opts);
}

function decodeException(
  raw: unknown,
  code: number,
  scause: bigint,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  opts: ResolvedOptions,
): DecodedExit<RiscvCause> {
  const allocation = exceptionAllocation(code);
  if (allocation === "reserved") reserved("exception", code, raw);
  switch (code) {
    case ECALL_VS:
      return decodeEcall(code, scause, snapshot.x, xlen, opts);
    case GPF_CODE.FETCH:
    case GPF_CODE.LOAD:
    case GPF_CODE.STORE:
      return decodeGuestPageFault(code, scause, snapshot, xlen, opts);
    case VIRTUAL_INSTRUCTION:
      return decodeVirtualInstruction(code, scause, snapshot, xlen);
    default:
      return {
        exit: nothing(),
        cause: {
          arch: "riscv",
          code,
          name: SCAUSE_EXCEPTION_NAMES[code] as string,
          xlen,
          scause,
          description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
          class: "exception",
          category: "exception",
          interrupt: false,
          custom: allocation === "custom",
          stval: snapshot.stval === undefined ? undefined : regToBig(snapshot.stval, "stval", xlen),
        },
      };
  }
}

/** An interrupt: `code` is the interrupt code (bits XLEN−2:0), `vector` the same as a bigint. */
function decodeInterrupt(
  raw: unknown,
  scause: bigint,
  code: number,
  vector: bigint,
  xlen: RiscvXlen,
): DecodedExit<RiscvCause> {
  const allocation = interruptAllocation(code);
  if (allocation === "reserved") reserved("interrupt", code, raw);
  const platform = code >= INTERRUPT_PLATFORM_BASE;
  return {
    exit: unchecked.externalInterrupt(vector),
    cause: {
      arch: "riscv",
      code,
      name: platform ? PLATFORM_INTERRUPT_NAME : (SCAUSE_INTERRUPT_NAMES[code] as string),
      xlen,
      scause,
      description: platform
        ? "Designated for platform use"
        : (SCAUSE_INTERRUPT_DESCRIPTIONS[code] as string),
      class: "interrupt",
      category: "interrupt",
      interrupt: true,
      platform,
    },
  };
}
