import type { DecodedExit } from "../core/decoded";
import { VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import type { AccessWidth } from "../core/scalars/access-width";
import { MappingFlags } from "../core/scalars/mapping-flags";
import { hex, joinU64, type U64Halves } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { decodeCompressed } from "./compressed";
import { decode32 } from "./instruction";
import type { ResolvedOptions } from "./options";
import { checkInstructionWord, missingCsr, readReg, readX } from "./registers";
import { SCAUSE_EXCEPTION_DESCRIPTIONS, SCAUSE_EXCEPTION_NAMES } from "./scause";
import type {
  RiscvGuestPageFaultCause,
  RiscvHtinstKind,
  RiscvInstruction,
  RiscvInstructionSource,
  RiscvSnapshot,
  RiscvXlen,
} from "./types";

/** Exception codes of the three guest-page faults. */
export const GPF_CODE = { FETCH: 20, LOAD: 21, STORE: 23 } as const;

/** htinst pseudo-instructions (implicit VS-stage page-table accesses) and what they mean. */
export const PSEUDO_INSTRUCTIONS = {
  8192: "read32", // 0x2000: lw x0, 0(x0) with bits 1:0 cleared
  8224: "write32", // 0x2020: sw x0, 0(x0)
  12288: "read64", // 0x3000: ld x0, 0(x0)
  12320: "write64", // 0x3020: sd x0, 0(x0)
} as const;

type Pseudo = (typeof PSEUDO_INSTRUCTIONS)[keyof typeof PSEUDO_INSTRUCTIONS];

const halves: U64Halves = { lo: 0, hi: 0 };

/** The fault's stval and htval, validated once, and the GPA they give. */
interface FaultAddress {
  gpa: bigint;
  stval: bigint;
  htval: bigint;
}

function faultAddress(snapshot: RiscvSnapshot, xlen: RiscvXlen): FaultAddress {
  if (snapshot.htval === undefined) missingCsr("htval", "a guest-page fault");
  if (snapshot.stval === undefined) missingCsr("stval", "a guest-page fault");
  const stval = readReg(snapshot.stval, "stval", xlen, halves);
  const low2 = halves.lo & 3;
  const htval = readReg(snapshot.htval, "htval", xlen, halves);
  if (halves.hi >>> 30 !== 0) {
    throw new VmExitError(
      "out-of-range",
      `htval must be below 2^62 on RV64 (GPA = htval << 2 must fit in 64 bits), got ${hex(joinU64(halves.lo, halves.hi))}`,
      "htval",
    );
  }
  // GPA = (htval << 2) | (stval & 3); on RV64 htval bits 63:62 would be GPA bits 65:64.
  const gpa = joinU64(
    ((halves.lo << 2) | low2) >>> 0,
    ((halves.hi << 2) | (halves.lo >>> 30)) >>> 0,
  );
  return { gpa, stval, htval };
}

function rawInstruction(
  word: number,
  source: RiscvInstructionSource,
  xlen: RiscvXlen,
): RiscvInstruction {
  if ((word & 3) !== 3) return decodeCompressed(word & 0xffff, source, xlen);
  return decode32(word, word, source, false, 4, xlen) as RiscvInstruction;
}

/** Why a decoded instruction is not emulatable MMIO for this fault, or `undefined` if it is. */
function notMmioReason(insn: RiscvInstruction, store: boolean): string | undefined {
  if (insn.access === undefined) return `${insn.mnemonic} instruction is not a load or store`;
  if (!insn.integer) return `${insn.mnemonic} is not an integer load or store`;
  if ((insn.access === "store") !== store) {
    return `${insn.mnemonic} does not match a ${store ? "store" : "load"} guest-page fault`;
  }
  if (insn.addrOffset !== undefined && insn.addrOffset !== 0) {
    return `misaligned access (htinst address offset ${insn.addrOffset})`;
  }
  return undefined;
}

/** What the guest-page-fault decoder found besides the exit, gathered once per decode. */
interface Found {
  gpa: bigint;
  stval: bigint;
  htval: bigint;
  htinst: bigint;
  htinstKind: RiscvHtinstKind;
  pseudo: Pseudo | undefined;
  instruction: RiscvInstruction | undefined;
}

function result(
  code: number,
  scause: bigint,
  xlen: RiscvXlen,
  f: Found,
  exit: VmExit,
  reason: string | undefined,
): DecodedExit<RiscvGuestPageFaultCause> {
  return {
    exit,
    cause: {
      arch: "riscv",
      code,
      name: SCAUSE_EXCEPTION_NAMES[code] as string,
      xlen,
      scause,
      description: SCAUSE_EXCEPTION_DESCRIPTIONS[code] as string,
      class: "guest-page-fault",
      category: "guest-page-fault",
      interrupt: false,
      access: code === GPF_CODE.FETCH ? "fetch" : code === GPF_CODE.STORE ? "store" : "load",
      gpa: f.gpa,
      stval: f.stval,
      htval: f.htval,
      htinst: f.htinst,
      htinstKind: f.htinstKind,
      pseudo: f.pseudo,
      instructionSource: f.instruction?.source,
      instruction: f.instruction,
      mmio: reason === undefined,
      reason,
    },
  };
}

function fault(
  code: number,
  scause: bigint,
  xlen: RiscvXlen,
  f: Found,
  flags: MappingFlags,
  reason: string,
): DecodedExit<RiscvGuestPageFaultCause> {
  return result(code, scause, xlen, f, unchecked.nestedPageFault(f.gpa, flags), reason);
}

/** Decodes an instruction (20), load (21) or store/AMO (23) guest-page fault. */
export function decodeGuestPageFault(
  code: number,
  scause: bigint,
  snapshot: RiscvSnapshot,
  xlen: RiscvXlen,
  options: ResolvedOptions,
): DecodedExit<RiscvGuestPageFaultCause> {
  const address = faultAddress(snapshot, xlen);
  const gpa = address.gpa;
  const htinstRaw = snapshot.htinst;
  let htinst = 0n;
  let htinstKind: RiscvHtinstKind = "zero";
  let pseudo: Pseudo | undefined;
  let instruction: RiscvInstruction | undefined;
  if (htinstRaw !== undefined) {
    htinst = readReg(htinstRaw, "htinst", xlen, halves);
    const lo = halves.lo;
    if (halves.hi !== 0) htinstKind = "custom";
    else if ((lo & 1) === 1) {
      instruction = decode32(lo | 2, lo, "htinst", true, (lo & 2) === 2 ? 4 : 2, xlen);
      htinstKind = instruction === undefined ? "custom" : "transformed";
    } else if (lo !== 0) {
      pseudo = PSEUDO_INSTRUCTIONS[lo as keyof typeof PSEUDO_INSTRUCTIONS];
      htinstKind = pseudo === undefined ? "custom" : "pseudo";
    }
  }
  // Unrecognised (custom) htinst values may be treated as 0: fall back to the raw instruction.
  if (instruction === undefined && pseudo === undefined && snapshot.instruction !== undefined) {
    instruction = rawInstruction(checkInstructionWord(snapshot.instruction), "snapshot", xlen);
  }
  const f: Found = {
    gpa,
    stval: address.stval,
    htval: address.htval,
    htinst,
    htinstKind,
    pseudo,
    instruction,
  };
  if (code === GPF_CODE.FETCH) {
    return fault(code, scause, xlen, f, MappingFlags.EXECUTE, "instruction fetch");
  }
  const store = code === GPF_CODE.STORE;
  const flags = store ? MappingFlags.WRITE : MappingFlags.READ;
  if (pseudo !== undefined) {
    const pseudoFlags = pseudo.startsWith("write") ? MappingFlags.WRITE : MappingFlags.READ;
    return fault(
      code,
      scause,
      xlen,
      f,
      pseudoFlags,
      "implicit VS-stage page-table access (pseudo-instruction)",
    );
  }
  if (instruction === undefined)
    return fault(code, scause, xlen, f, flags, "no instruction available");
  const why = notMmioReason(instruction, store);
  if (why !== undefined) return fault(code, scause, xlen, f, flags, why);
  if (options.isMmio !== undefined && !options.isMmio(gpa)) {
    return fault(code, scause, xlen, f, flags, "isMmio(gpa) returned false");
  }
  const width = instruction.width as AccessWidth;
  const exit = store
    ? unchecked.mmioWrite(
        gpa,
        width,
        readX(snapshot.x, instruction.rs2 as number, xlen) & widthMask(width),
      )
    : unchecked.mmioRead(
        gpa,
        width,
        instruction.rd as number,
        xlen === 64 ? 8 : 4,
        instruction.signedExt,
      );
  return result(code, scause, xlen, f, exit, undefined);
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
