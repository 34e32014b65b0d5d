import { nothing } from "../core/constructors";
import type { DecodedExit, IsMmio } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import type { AccessWidth } from "../core/scalars/access-width";
import { MappingFlags } from "../core/scalars/mapping-flags";
import * as unchecked from "../core/unchecked";
import type { Aarch64DataAbortCause, Aarch64InstructionAbortCause } from "./cause";
import { describeFsc, FSC_TABLE } from "./dfsc";
import { EC, ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
import { faultIpa } from "./ipa";
import { type Aarch64LoadStore, decodeA64LoadStore } from "./ldst";
import { readX } from "./regs";
import type { Aarch64Exception, Aarch64Snapshot } from "./snapshot";

const WIDTHS: readonly AccessWidth[] = [1, 2, 4, 8];
// Data masks for 1, 2 and 4 bytes (a doubleword store writes all of Xt).
const MASKS: readonly bigint[] = [0xffn, 0xffffn, 0xffff_ffffn];

function instructionWord(s: Aarch64Snapshot): number | undefined {
  const word = s.instruction;
  if (word === undefined) return undefined;
  if (typeof word === "number" && Number.isInteger(word) && word >= 0 && word <= 0xffff_ffff) {
    return word;
  }
  throw new VmExitError(
    "invalid-argument",
    `instruction must be a 32-bit A64 instruction word, got ${show(word)}`,
    "instruction",
  );
}

function mmioExit(
  s: Aarch64Snapshot,
  ipa: bigint,
  isWrite: boolean,
  size: number,
  reg: number,
  regWidth: 4 | 8,
  signedExt: boolean,
): VmExit {
  const width = WIDTHS[size] as AccessWidth;
  if (isWrite) {
    const x = readX(s, reg);
    return unchecked.mmioWrite(ipa, width, size === 3 ? x : x & (MASKS[size] as bigint));
  }
  return unchecked.mmioRead(ipa, width, reg, regWidth, signedExt);
}

function isMmioCheck(options: { readonly isMmio?: IsMmio } | undefined): IsMmio | undefined {
  const f = options?.isMmio;
  if (f === undefined || typeof f === "function") return f;
  throw new VmExitError(
    "invalid-argument",
    `options.isMmio must be a function, got ${show(f)}`,
    "options.isMmio",
  );
}

/** EC 0x24/0x25: translation faults → MMIO (rule 5) or `NestedPageFault`; access-flag/permission → `NestedPageFault`. */
export function decodeDataAbort(
  s: Aarch64Snapshot,
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
  options: { readonly isMmio?: IsMmio } | undefined,
): DecodedExit<Aarch64DataAbortCause> {
  const isv = ((lo >>> 24) & 1) === 1;
  const sas = (lo >>> 22) & 3;
  const sse = ((lo >>> 21) & 1) === 1;
  const srt = (lo >>> 16) & 31;
  const sf = ((lo >>> 15) & 1) === 1;
  const fnv = ((lo >>> 10) & 1) === 1;
  const cm = ((lo >>> 8) & 1) === 1;
  const s1ptw = ((lo >>> 7) & 1) === 1;
  const wnr = ((lo >>> 6) & 1) === 1;
  const fsc = lo & 0x3f;
  const info = FSC_TABLE[fsc];
  const fscClass = info?.fscClass;
  const stage2 =
    ec === EC.DABT_LOW &&
    (fscClass === "translation" || fscClass === "access-flag" || fscClass === "permission");
  const ipa = ec === EC.DABT_LOW ? faultIpa(s, fnv, stage2) : undefined;
  let exit: VmExit | undefined;
  let notMmio: string | undefined;
  let mmioSource: "syndrome" | "instruction" | undefined;
  let insn: Aarch64LoadStore | undefined;
  if (stage2) {
    let decoded = false;
    if (fscClass === "access-flag") notMmio = "access-flag fault";
    else if (fscClass === "permission") notMmio = "permission fault";
    else if (fnv) notMmio = "FnV: FAR is not valid, so the IPA's page offset is unknown";
    else if (s1ptw) notMmio = "S1PTW: the fault is on a stage-1 translation table walk";
    else if (cm) notMmio = "CM: cache maintenance or address translation instruction";
    else if (isv) {
      if (sas === 3 && !sf) {
        throw new VmExitError(
          "reserved-encoding",
          `esr ISS has ISV = 1, SAS = 3 (doubleword) and SF = 0: no A64 load/store moves 8 bytes through a W register`,
          "esr",
        );
      }
      decoded = true;
      mmioSource = "syndrome";
    } else {
      const word = instructionWord(s);
      insn = word === undefined ? undefined : decodeA64LoadStore(word);
      if (word === undefined) notMmio = "ISV = 0 and no instruction word was supplied";
      else if (insn === undefined) {
        notMmio = `instruction 0x${word.toString(16)} is not a decodable integer load/store`;
      } else if (insn.isWrite !== wnr) {
        notMmio = `${insn.mnemonic} disagrees with WnR = ${wnr ? 1 : 0}`;
      } else {
        decoded = true;
        mmioSource = "instruction";
      }
    }
    const isMmio = decoded ? isMmioCheck(options) : undefined;
    if (isMmio !== undefined && !isMmio(ipa as bigint)) {
      notMmio = "options.isMmio returned false";
      decoded = false;
      mmioSource = undefined;
    }
    if (!decoded) {
      const flags = wnr ? MappingFlags.WRITE : MappingFlags.READ;
      exit = unchecked.nestedPageFault(ipa as bigint, flags);
    } else if (insn === undefined) {
      exit = mmioExit(s, ipa as bigint, wnr, sas, srt, sf ? 8 : 4, sse);
    } else {
      const size = 31 - Math.clz32(insn.width);
      exit = mmioExit(s, ipa as bigint, insn.isWrite, size, insn.rt, insn.regWidth, insn.signedExt);
    }
  }
  const cause: Aarch64DataAbortCause = {
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "data-abort",
    group: "data-abort",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: ((lo >>> 25) & 1) === 1,
    iss: lo & 0x1ff_ffff,
    iss2: hi & 0xff_ffff,
    isv,
    sas,
    sse,
    srt,
    sf,
    ar: ((lo >>> 14) & 1) === 1,
    vncr: ((lo >>> 13) & 1) === 1,
    set: (lo >>> 11) & 3,
    fnv,
    ea: ((lo >>> 9) & 1) === 1,
    cm,
    s1ptw,
    wnr,
    fsc,
    fscDescription: info === undefined ? describeFsc(fsc) : info.description,
    fscClass: info?.fscClass,
    fscLevel: info?.level,
    ipa,
    farValid: !fnv,
    instruction: insn,
    mmioSource,
    notMmio,
  };
  return { exit: exit ?? nothing(), cause };
}

/** EC 0x20 IABT_LOW → `NestedPageFault { addr: IPA, accessFlags: EXECUTE }`; EC 0x21 → `Nothing`. */
export function decodeInstructionAbort(
  s: Aarch64Snapshot,
  exception: Aarch64Exception,
  ec: number,
  lo: number,
  hi: number,
): DecodedExit<Aarch64InstructionAbortCause> {
  const fnv = ((lo >>> 10) & 1) === 1;
  const fsc = lo & 0x3f;
  const info = FSC_TABLE[fsc];
  const low = ec === EC.IABT_LOW;
  const ipa = low ? faultIpa(s, fnv, true) : undefined;
  const exit = low ? unchecked.nestedPageFault(ipa as bigint, MappingFlags.EXECUTE) : nothing();
  const cause: Aarch64InstructionAbortCause = {
    arch: "aarch64",
    code: ec,
    name: ESR_EC_NAMES[ec] as string,
    class: "instruction-abort",
    group: "instruction-abort",
    exception,
    description: ESR_EC_DESCRIPTIONS[ec] as string,
    il: ((lo >>> 25) & 1) === 1,
    iss: lo & 0x1ff_ffff,
    iss2: hi & 0xff_ffff,
    set: (lo >>> 11) & 3,
    fnv,
    ea: ((lo >>> 9) & 1) === 1,
    s1ptw: ((lo >>> 7) & 1) === 1,
    fsc,
    fscDescription: info === undefined ? describeFsc(fsc) : info.description,
    fscClass: info?.fscClass,
    fscLevel: info?.level,
    ipa,
    farValid: !fnv,
  };
  return { exit, cause };
}
