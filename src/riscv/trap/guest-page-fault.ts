import { makeCause } from "../../core/cause";
import type { RegValue } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { VmExit } from "../../core/exit";
import { ACCESS_WIDTH_LOW_MASKS, type AccessWidth } from "../../core/scalars/access-width";
import { MappingFlags } from "../../core/scalars/mapping-flags";
import { hex, highHalf, joinU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { ClassResult, RiscvGuestPageFaultCause } from "../cause";
import { decodeInstructionWord } from "../insn/compressed";
import type { RiscvPseudoInstruction } from "../insn/format";
import {
  isTransformed,
  pseudoInstruction,
  pseudoWrites,
  type RiscvHtinstKind,
  transformedInstruction,
  transformedMmioAccess,
} from "../insn/htinst";
import type { RiscvInstruction } from "../insn/instruction";
import type { ResolvedOptions } from "../options";
import {
  checkInstructionWord,
  checkRegisterFile,
  missingCsr,
  readX,
  scauseValue,
  splitLow,
  splitXLow,
} from "../registers";
import { SCAUSE_CODE, SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "../scause";
import type { RiscvSnapshot, RiscvXlen } from "../snapshot";

/** An RV64 htval of 2^62 or more: GPA = htval << 2 would not fit in 64 bits. */
function htvalTooWide(lo: number, hi: number): never {
  throw new VmExitError(
    "out-of-range",
    `htval must be below 2^62 on RV64 (GPA = htval << 2 must fit in 64 bits), got ${hex(joinU64(lo, hi))}`,
    "htval",
  );
}

/** Why a decoded instruction is not emulatable MMIO for this fault, or `undefined` if it is. */
function notMmioReason(insn: RiscvInstruction, store: boolean): string | undefined {
  // the MMIO case first, small enough to inline; the reasons are spelt out of line
  if (insn.integer && (insn.access === "store") === store && !insn.addrOffset) return undefined;
  return notMmioText(insn, store);
}

/** Why an instruction `notMmioReason` found not emulatable for the fault is not, in words. */
function notMmioText(insn: RiscvInstruction, store: boolean): string {
  if (insn.access === undefined) return `${insn.mnemonic} instruction is not a load or store`;
  if (!insn.integer) return `${insn.mnemonic} is not an integer load or store`;
  if ((insn.access === "store") !== store) {
    return `${insn.mnemonic} does not match a ${store ? "store" : "load"} guest-page fault`;
  }
  // the one reason left: a non-zero address offset
  return `misaligned access (htinst address offset ${insn.addrOffset})`;
}

/** A register the decoder has validated, as the bigint a cause carries. */
function big(v: RegValue | undefined): bigint {
  return typeof v === "bigint" ? v : BigInt(v as number);
}

/**
 * Decodes an instruction (20), load (21) or store/AMO (23) guest-page fault. The GPA, htinst and
 * the instruction word follow from what the guest did; none of them can make this throw.
 */
export function decodeGuestPageFault(
  code: number,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  options: ResolvedOptions,
  withCause: boolean,
): ClassResult {
  const stvalRaw = snapshot.stval;
  const htvalRaw = snapshot.htval;
  if (htvalRaw === undefined) missingCsr("htval", "a guest-page fault");
  if (stvalRaw === undefined) missingCsr("stval", "a guest-page fault");
  const stvalLo = splitLow(stvalRaw, "stval", xlen);
  const htvalLo = splitLow(htvalRaw, "htval", xlen);
  const htvalHi = highHalf();
  if (htvalHi >>> 30 !== 0) htvalTooWide(htvalLo, htvalHi);
  // GPA = (htval << 2) | (stval & 3); on RV32 the GPA is 34 bits.
  const gpa = joinU64(
    ((htvalLo << 2) | (stvalLo & 3)) >>> 0,
    ((htvalHi << 2) | (htvalLo >>> 30)) >>> 0,
  );
  const htinstRaw = snapshot.htinst;
  let htinstLo = 0;
  let htinstHi = 0;
  if (htinstRaw !== undefined) {
    htinstLo = splitLow(htinstRaw, "htinst", xlen);
    htinstHi = highHalf();
  }
  const word =
    snapshot.instruction === undefined ? undefined : checkInstructionWord(snapshot.instruction);
  const store = code === SCAUSE_CODE.STORE_GUEST_PAGE_FAULT;
  // The common MMIO forms, a transformed integer load or store, are cut from htinst with masks;
  // every other value (and any fault with an `isMmio` to ask) takes the record path below.
  if (
    htinstHi === 0 &&
    code !== SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT &&
    options.isMmio === undefined
  ) {
    const access = transformedMmioAccess(htinstLo, store, xlen);
    if (access >= 0) {
      const exit = mmioExit(
        snapshot,
        gpa,
        store,
        access & 15,
        access >>> 5,
        (access & 16) !== 0,
        xlen,
      );
      if (!withCause) return exit;
      const instruction = transformedInstruction(htinstLo, xlen);
      return {
        exit,
        cause: guestPageFaultCause(
          snapshot,
          code,
          xlen,
          gpa,
          "transformed",
          undefined,
          instruction,
          undefined,
        ),
      };
    }
  }
  let htinstKind: RiscvHtinstKind = "zero";
  let pseudo: RiscvPseudoInstruction | undefined;
  let instruction: RiscvInstruction | undefined;
  if (htinstHi !== 0) htinstKind = "custom";
  else if (isTransformed(htinstLo)) {
    instruction = transformedInstruction(htinstLo, xlen);
    htinstKind = instruction === undefined ? "custom" : "transformed";
  } else if (htinstLo !== 0) {
    pseudo = pseudoInstruction(htinstLo);
    htinstKind = pseudo === undefined ? "custom" : "pseudo";
  }
  // Unrecognised (custom) htinst values may be treated as 0: fall back to the raw instruction.
  if (instruction === undefined && pseudo === undefined && word !== undefined) {
    instruction = decodeInstructionWord(word, "snapshot", xlen);
  }
  let notMmio: string | undefined;
  let exit: VmExit;
  if (code === SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT) {
    notMmio = "instruction fetch";
    exit = unchecked.nestedPageFault(gpa, MappingFlags.EXECUTE);
  } else if (pseudo !== undefined) {
    notMmio = "implicit VS-stage page-table access (pseudo-instruction)";
    exit = unchecked.nestedPageFault(
      gpa,
      pseudoWrites(pseudo) ? MappingFlags.WRITE : MappingFlags.READ,
    );
  } else {
    notMmio =
      instruction === undefined ? "no instruction available" : notMmioReason(instruction, store);
    if (notMmio !== undefined || instruction === undefined) {
      exit = unchecked.nestedPageFault(gpa, store ? MappingFlags.WRITE : MappingFlags.READ);
    } else {
      if (options.isMmio !== undefined && !options.isMmio(gpa)) {
        notMmio = "isMmio(gpa) returned false";
        exit = unchecked.nestedPageFault(gpa, store ? MappingFlags.WRITE : MappingFlags.READ);
      } else {
        const width = instruction.width as AccessWidth;
        const reg = (store ? instruction.rs2 : instruction.rd) as number;
        exit = mmioExit(snapshot, gpa, store, width, reg, instruction.signedExt, xlen);
      }
    }
  }
  if (!withCause) return exit;
  const cause = guestPageFaultCause(
    snapshot,
    code,
    xlen,
    gpa,
    htinstKind,
    pseudo,
    instruction,
    notMmio,
  );
  return { exit, cause };
}

/** The MMIO exit of an emulatable load or store of `width` bytes to or from x[reg]. */
function mmioExit(
  snapshot: RiscvSnapshot,
  gpa: bigint,
  store: boolean,
  width: number,
  reg: number,
  signedExt: boolean,
  xlen: RiscvXlen,
): VmExit {
  const w = width as AccessWidth;
  if (store) return unchecked.mmioWrite(gpa, w, storeData(snapshot.x, reg, xlen, w));
  return unchecked.mmioRead(gpa, w, reg, xlen === 64 ? 8 : 4, signedExt);
}

/** The cause of a guest-page fault `decodeGuestPageFault` decoded. */
function guestPageFaultCause(
  snapshot: RiscvSnapshot,
  code: number,
  xlen: RiscvXlen,
  gpa: bigint,
  htinstKind: RiscvHtinstKind,
  pseudo: RiscvPseudoInstruction | undefined,
  instruction: RiscvInstruction | undefined,
  notMmio: string | undefined,
): RiscvGuestPageFaultCause {
  return makeCause({
    arch: "riscv",
    code,
    name: SCAUSE_EXCEPTION_NAMES[code] as string,
    class: "guest-page-fault",
    xlen,
    scause: scauseValue(snapshot),
    description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
    access:
      code === SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT
        ? "fetch"
        : code === SCAUSE_CODE.STORE_GUEST_PAGE_FAULT
          ? "store"
          : "load",
    gpa,
    stval: big(snapshot.stval),
    htval: big(snapshot.htval),
    htinst: snapshot.htinst === undefined ? 0n : big(snapshot.htinst),
    htinstKind,
    pseudo,
    instruction,
    notMmio,
  });
}

/**
 * The data a store of `width` bytes from x[reg] writes: the register's low `width` bytes, cut
 * from its 32-bit halves with number operations (x0 is 0; an absent register → `missing-register`).
 */
function storeData(x: unknown, reg: number, xlen: RiscvXlen, width: AccessWidth): bigint {
  const registers = checkRegisterFile(x);
  if (width === 8) return readX(registers, reg, xlen);
  return joinU64(
    (splitXLow(registers, reg, xlen) & (ACCESS_WIDTH_LOW_MASKS[width] as number)) >>> 0,
    0,
  );
}

const MASKS: readonly bigint[] = [
  0n,
  0xffn,
  0xffffn,
  0n,
  0xffff_ffffn,
  0n,
  0n,
  0n,
  0xffff_ffff_ffff_ffffn,
];

/** All-ones mask of an access width in bytes. */
export function widthMask(width: 1 | 2 | 4 | 8): bigint {
  return MASKS[width] as bigint;
}
