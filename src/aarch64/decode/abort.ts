import { makeCause } from "../../core/cause";
import { nothing } from "../../core/constructors";
import type { IsMmio } from "../../core/decoded";
import type { VmExit } from "../../core/exit";
import type { AccessWidth } from "../../core/scalars/access-width";
import { MappingFlags } from "../../core/scalars/mapping-flags";
import { joinU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64DataAbortCause } from "../cause";
import { bitsAt, isSetAt, loOf } from "../layout/at";
import { AbortIss, Esr } from "../layout/positions";
import type { Aarch64Snapshot } from "../snapshot";
import { describeFsc, FSC_TABLE } from "../tables/dfsc";
import { EC, ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "../tables/ec";
import type { ClassResult } from "./cause";
import { faultGpa } from "./gpa";
import { instructionWord } from "./instruction";
import { type Aarch64LoadStore, decodeA64LoadStore } from "./load-store";
import { checkRegister, checkX, readW, readX } from "./regs";

const WIDTHS: readonly AccessWidth[] = [1, 2, 4, 8];
// Data masks for 1, 2 and 4 bytes, applied to Wt (a doubleword store writes all of Xt).
const MASKS: readonly number[] = [0xff, 0xffff, 0xffff_ffff];

function mmioExit(
  s: Aarch64Snapshot,
  gpa: bigint,
  isWrite: boolean,
  size: number,
  reg: number,
  regWidth: 4 | 8,
  signedExt: boolean,
): VmExit {
  const width = WIDTHS[size] as AccessWidth;
  if (!isWrite) return unchecked.mmioRead(gpa, width, reg, regWidth, signedExt);
  // The data masked on the low half as a number: no BigInt arithmetic.
  if (size === 3) return unchecked.mmioWrite(gpa, width, readX(s, reg));
  const data = (readW(s, reg) & (MASKS[size] as number)) >>> 0;
  return unchecked.mmioWrite(gpa, width, joinU64(data, 0));
}

/** Checks FAR and HPFAR when supplied to an abort that does not form an IPA from them. */
function checkFaultRegisters(s: Aarch64Snapshot): void {
  checkRegister(s.hpfar, "hpfar");
  checkRegister(s.far, "far");
}

// Why a stage-2 data abort is not read as MMIO: a number on the hot path, its text only when a
// cause is built (the instruction and WnR reasons name the word and the mnemonic).
const NOT_STAGE2 = -1; // not a stage-2 fault MMIO could be: the exit is `Nothing`
const DECODABLE = 0;
const ACCESS_FLAG = 1;
const PERMISSION = 2;
const NOT_MMIO: readonly string[] = [
  "",
  "access-flag fault",
  "permission fault",
  "FnV: FAR is not valid, so the IPA's page offset is unknown",
  "S1PTW: the fault is on a stage-1 translation table walk",
  "CM: cache maintenance or address translation instruction",
  "ISV = 0 and no instruction word was supplied",
  "is not a decodable load or store of one general-purpose register",
  "disagrees with WnR",
  "options.isMmio returned false",
];
const FNV_SET = 3;
const S1PTW_SET = 4;
const CM_SET = 5;
const NO_WORD = 6;
const NOT_LOAD_STORE = 7;
const WNR_DISAGREES = 8;
const IS_MMIO_FALSE = 9;

/** 0 translation, ACCESS_FLAG, PERMISSION for the stage-2 fault codes; NOT_STAGE2 for the others. */
function stage2Table(): readonly number[] {
  const t = new Array<number>(64).fill(NOT_STAGE2);
  FSC_TABLE.forEach((info, fsc) => {
    if (info?.fscClass === "translation") t[fsc] = DECODABLE;
    if (info?.fscClass === "access-flag") t[fsc] = ACCESS_FLAG;
    if (info?.fscClass === "permission") t[fsc] = PERMISSION;
  });
  return t;
}

const STAGE2: readonly number[] = /* @__PURE__ */ stage2Table();

/** Why a stage-2 translation fault cannot be read as MMIO, after the fault code said it might. */
function blocker(
  lo: number,
  isv: boolean,
  wnr: boolean,
  word: number | undefined,
  insn: Aarch64LoadStore | undefined,
): number {
  if (isSetAt(AbortIss.FNV, lo)) return FNV_SET;
  if (isSetAt(AbortIss.S1PTW, lo)) return S1PTW_SET;
  if (isSetAt(AbortIss.CM, lo)) return CM_SET;
  if (isv) return DECODABLE;
  if (word === undefined) return NO_WORD;
  if (insn === undefined) return NOT_LOAD_STORE;
  return insn.isWrite === wnr ? DECODABLE : WNR_DISAGREES;
}

function notMmioText(
  reason: number,
  wnr: boolean,
  word: number | undefined,
  insn: Aarch64LoadStore | undefined,
): string | undefined {
  if (reason === DECODABLE || reason === NOT_STAGE2) return undefined;
  if (reason === NOT_LOAD_STORE)
    return `instruction 0x${(word as number).toString(16)} ${NOT_MMIO[reason]}`;
  if (reason === WNR_DISAGREES) return `${insn?.mnemonic} ${NOT_MMIO[reason]} = ${wnr ? 1 : 0}`;
  return NOT_MMIO[reason];
}

/**
 * EC 0x24/0x25: a stage-2 translation fault from a lower EL → MMIO when the syndrome (ISV = 1) or
 * the instruction word (ISV = 0) says what was accessed and `isMmio(gpa)` agrees; access-flag and
 * permission faults and the rest → `NestedPageFault` (READ or WRITE by WnR); EL2's own aborts and
 * other fault codes → `Nothing`. A store's data register and the instruction word are checked
 * when supplied even where the exit does not read them, as `explainAarch64` shows them.
 */
export function decodeDataAbort(
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  isMmio: IsMmio | undefined,
  withCause: boolean,
): ClassResult {
  const isv = isSetAt(AbortIss.ISV, lo);
  const wnr = isSetAt(AbortIss.WNR, lo);
  const low = ec === EC.DABT_LOW;
  const kind = low ? (STAGE2[bitsAt(AbortIss.FSC, lo)] as number) : NOT_STAGE2;
  let gpa: bigint | undefined;
  if (low) gpa = faultGpa(s, isSetAt(AbortIss.FNV, lo), kind >= 0);
  else checkFaultRegisters(s);
  const word = isv ? undefined : instructionWord(s);
  const insn = word === undefined ? undefined : decodeA64LoadStore(word);
  // ISV = 1 with none of FnV, S1PTW, CM set is decodable without asking `blocker` (the mask is
  // worked out here, where the engine folds it).
  const notPlain =
    (1 << loOf(AbortIss.FNV)) | (1 << loOf(AbortIss.S1PTW)) | (1 << loOf(AbortIss.CM));
  const plain = isv && (lo & notPlain) === 0;
  let reason = kind !== DECODABLE || plain ? kind : blocker(lo, isv, wnr, word, insn);
  if (reason === DECODABLE && isMmio !== undefined && !isMmio(gpa as bigint)) {
    reason = IS_MMIO_FALSE;
  }
  let exit: VmExit;
  if (reason === DECODABLE) {
    exit =
      insn === undefined
        ? mmioExit(
            s,
            gpa as bigint,
            wnr,
            bitsAt(AbortIss.SAS, lo),
            bitsAt(AbortIss.SRT, lo),
            isSetAt(AbortIss.SF, lo) ? 8 : 4,
            isSetAt(AbortIss.SSE, lo),
          )
        : mmioExit(
            s,
            gpa as bigint,
            insn.isWrite,
            31 - Math.clz32(insn.width),
            insn.rt,
            insn.regWidth,
            insn.signedExt,
          );
  } else {
    exit =
      reason === NOT_STAGE2
        ? nothing()
        : unchecked.nestedPageFault(gpa as bigint, wnr ? MappingFlags.WRITE : MappingFlags.READ);
    // The data of a store the exit did not read is still the store's: check it when supplied.
    if (isv && wnr) checkX(s, bitsAt(AbortIss.SRT, lo));
    else if (insn?.isWrite === true) checkX(s, insn.rt);
  }
  if (!withCause) return exit;
  return { exit, cause: dataAbortCause(exception, ec, lo, hi, gpa, reason, word, insn) };
}

/** The cause of a data abort whose exit `decodeDataAbort` found for `reason`. */
function dataAbortCause(
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  gpa: bigint | undefined,
  reason: number,
  word: number | undefined,
  insn: Aarch64LoadStore | undefined,
): Aarch64DataAbortCause {
  const fsc = bitsAt(AbortIss.FSC, lo);
  const info = FSC_TABLE[fsc];
  const wnr = isSetAt(AbortIss.WNR, lo);
  const fnv = isSetAt(AbortIss.FNV, lo);
  return makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "data-abort",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSetAt(Esr.IL, lo),
    iss: bitsAt(Esr.ISS, lo),
    iss2: bitsAt(Esr.ISS2, hi),
    isv: isSetAt(AbortIss.ISV, lo),
    sas: bitsAt(AbortIss.SAS, lo),
    sse: isSetAt(AbortIss.SSE, lo),
    srt: bitsAt(AbortIss.SRT, lo),
    sf: isSetAt(AbortIss.SF, lo),
    ar: isSetAt(AbortIss.AR, lo),
    vncr: isSetAt(AbortIss.VNCR, lo),
    set: bitsAt(AbortIss.SET, lo),
    fnv,
    ea: isSetAt(AbortIss.EA, lo),
    cm: isSetAt(AbortIss.CM, lo),
    s1ptw: isSetAt(AbortIss.S1PTW, lo),
    wnr,
    fsc,
    fscDescription: info === undefined ? describeFsc(fsc) : info.description,
    fscClass: info?.fscClass,
    fscLevel: info?.level,
    gpa,
    farValid: !fnv,
    instruction: insn,
    mmioSource: reason !== DECODABLE ? undefined : insn === undefined ? "syndrome" : "instruction",
    notMmio: notMmioText(reason, wnr, word, insn),
  });
}

/** EC 0x20 IABT_LOW → `NestedPageFault { addr: IPA, accessFlags: EXECUTE }`; EC 0x21 → `Nothing`. */
export function decodeInstructionAbort(
  s: Aarch64Snapshot,
  exception: "sync" | "serror",
  ec: number,
  lo: number,
  hi: number,
  _isMmio: unknown,
  withCause: boolean,
): ClassResult {
  const fnv = isSetAt(AbortIss.FNV, lo);
  const low = ec === EC.IABT_LOW;
  let gpa: bigint | undefined;
  if (low) gpa = faultGpa(s, fnv, true);
  else checkFaultRegisters(s);
  const exit = low ? unchecked.nestedPageFault(gpa as bigint, MappingFlags.EXECUTE) : nothing();
  if (!withCause) return exit;
  const fsc = bitsAt(AbortIss.FSC, lo);
  const info = FSC_TABLE[fsc];
  const cause = makeCause({
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "instruction-abort",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: isSetAt(Esr.IL, lo),
    iss: bitsAt(Esr.ISS, lo),
    iss2: bitsAt(Esr.ISS2, hi),
    set: bitsAt(AbortIss.SET, lo),
    fnv,
    ea: isSetAt(AbortIss.EA, lo),
    s1ptw: isSetAt(AbortIss.S1PTW, lo),
    fsc,
    fscDescription: info === undefined ? describeFsc(fsc) : info.description,
    fscClass: info?.fscClass,
    fscLevel: info?.level,
    gpa,
    farValid: !fnv,
  });
  return { exit, cause };
}
