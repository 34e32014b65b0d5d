import { VmExitError } from "../../core/error";
import { type ExplainNode, explainNode } from "../../core/explain";
import {
  type BitField,
  bits,
  explainFields,
  explainRegister,
  type Halves,
  isSet,
} from "../../core/layout";
import { checkOptions } from "../../core/options";
import { joinU64, splitU64, toU64, type U64Halves } from "../../core/u64";
import { snapshotException } from "../decode/decode";
import { faultGpa } from "../decode/gpa";
import { instructionWord } from "../decode/instruction";
import { decodeA64LoadStore } from "../decode/load-store";
import { optionalX } from "../decode/regs";
import { isSgiRegister } from "../decode/sgi";
import { FNV, ISV, SAS, SF, SRT, WNR } from "../layout/abort";
import { baseReg, hexNum, wReg, xReg } from "../layout/common";
import { checkEsr, checkEsrRes0, ESR_EC, ESR_ISS } from "../layout/esr";
import { HPFAR_LAYOUT, ipaLayout } from "../layout/hpfar";
import { esrLayout, serrorEsrLayout } from "../layout/iss";
import { loadStoreClass } from "../layout/load-store";
import { AFF1, AFF2, AFF3, IRM, RS, SGI_INTID, SGI_VALUE, TARGET_LIST } from "../layout/sgi";
import { SMCCC_FUNCTION_ID } from "../layout/smccc";
import { sys64RegisterName } from "../layout/sys";
import { DIRECTION, RT, SYS_REG_ADDR_MASK } from "../layout/sys64";
import { RN, RV } from "../layout/wfx";
import { AARCH64_DECODE_OPTIONS } from "../options";
import type { Aarch64DecodeOptions, Aarch64Exception, Aarch64Snapshot } from "../snapshot";
import { EC, ESR_EC_NAMES } from "../tables/ec";
import { smcccFunctionName } from "../tables/psci";

const EXCEPTIONS: readonly Aarch64Exception[] = ["sync", "irq", "fiq", "serror"];
const EXCEPTION_MEANINGS: readonly string[] = [
  "sync: synchronous exception (vector offset 0x000 in its VBAR_EL2 group)",
  "irq: IRQ (vector offset 0x080); ESR_EL2 is not updated",
  "fiq: FIQ (vector offset 0x100); ESR_EL2 is not updated",
  "serror: SError (vector offset 0x180); ESR_EL2 holds the SError syndrome",
];

/** Range of GICv3 INTIDs an interrupt number falls in. */
function intidKind(intid: bigint): string {
  if (intid < 16n) return "SGI (software-generated interrupt)";
  if (intid < 32n) return "PPI (private peripheral interrupt)";
  if (intid < 1020n) return "SPI (shared peripheral interrupt)";
  if (intid < 1023n) return "Special INTID (1020…1022)";
  if (intid === 1023n) return "Spurious interrupt (no pending interrupt)";
  if (intid < 1056n) return "Extended PPI (GICv3.1)";
  if (intid < 4096n) return "Reserved INTID";
  if (intid < 5120n) return "Extended SPI (GICv3.1)";
  if (intid < 8192n) return "Reserved INTID";
  if (intid < 0x100_0000n) return "LPI (locality-specific peripheral interrupt)";
  return "Out of the GICv3 INTID range (24 bits)";
}

function interruptNodes(s: Aarch64Snapshot): ExplainNode[] {
  const out: ExplainNode[] = [];
  if (s.irq !== undefined) {
    const intid = toU64(s.irq, "irq");
    const hi = intid < 0x100_0000n ? 23 : 63;
    out.push(explainNode("INTID", hi, 0, intid, `${intidKind(intid)}, acknowledged by the host`));
  }
  if (s.esr !== undefined) {
    const esr = toU64(s.esr, "esr");
    out.push(explainNode("ESR_EL2", 63, 0, esr, "Not updated by IRQ/FIQ: shown as supplied"));
  }
  return out;
}

function halvesOf(v: unknown, name: string): U64Halves | undefined {
  return v === undefined ? undefined : splitU64(v, name, { lo: 0, hi: 0 });
}

function faultNodes(s: Aarch64Snapshot, fnv: boolean): ExplainNode[] {
  // The IPA first: it checks HPFAR, then FAR, in the order the decoder does.
  const gpa = faultGpa(s, fnv, false);
  const out: ExplainNode[] = [];
  const far = halvesOf(s.far, "far");
  if (far !== undefined) {
    const meaning = fnv ? "Not valid: FnV is 1 (UNKNOWN value)" : "Faulting virtual address";
    out.push(explainNode("FAR_EL2", 63, 0, joinU64(far.lo, far.hi), meaning));
  }
  const hpfar = halvesOf(s.hpfar, "hpfar");
  if (hpfar !== undefined) {
    out.push(
      explainRegister("HPFAR_EL2", 64, hpfar, HPFAR_LAYOUT, "Faulting IPA page (stage 2 fault)"),
    );
  }
  if (gpa !== undefined) {
    const ipa = splitU64(gpa, "IPA", { lo: 0, hi: 0 });
    out.push(
      explainNode(
        "IPA",
        55,
        0,
        gpa,
        "Faulting intermediate physical address",
        explainFields(ipa, ipaLayout(!fnv)),
      ),
    );
  }
  return out;
}

/** A general-purpose register node (`x3` / `w3`), or nothing when the register was not supplied. */
function regNode(
  s: Aarch64Snapshot,
  n: number,
  wide: boolean,
  meaning: string | ((v: Halves) => string),
  layout?: readonly BitField[],
): ExplainNode[] {
  const v = optionalX(s, n);
  if (v === undefined) return [];
  const value = wide ? v : v & 0xffff_ffffn;
  const h = splitU64(value, `x${n}`, { lo: 0, hi: 0 });
  const name = wide ? (n === 31 ? "xzr" : `x${n}`) : n === 31 ? "wzr" : `w${n}`;
  const children = layout === undefined ? undefined : explainFields(h, layout);
  const text = typeof meaning === "string" ? meaning : meaning(h);
  return [explainNode(name, wide ? 63 : 31, 0, value, text, children)];
}

/** `SGI 1 to Aff3.Aff2.Aff1 = 0.0.0, Aff0 ∈ {1}`, `SGI 1 to all PEs except self`. */
function sgiMeaning(v: Halves): string {
  const intid = bits(SGI_INTID, v.lo);
  if (isSet(IRM, v.hi)) return `SGI ${intid} to all PEs except self`;
  const rs = bits(RS, v.hi);
  const list = bits(TARGET_LIST, v.lo);
  const aff0: number[] = [];
  for (let n = 0; n < 16; n++) if ((list >>> n) & 1) aff0.push(rs * 16 + n);
  const aff = `${bits(AFF3, v.hi)}.${bits(AFF2, v.hi)}.${bits(AFF1, v.lo)}`;
  return aff0.length === 0
    ? `SGI ${intid} to no PE (empty TargetList)`
    : `SGI ${intid} to Aff3.Aff2.Aff1 = ${aff}, Aff0 ∈ {${aff0.join(", ")}}`;
}

function sys64Nodes(s: Aarch64Snapshot, iss: number): ExplainNode[] {
  if (isSet(DIRECTION, iss)) return [];
  const name = sys64RegisterName(iss);
  const rt = bits(RT, iss);
  if (isSgiRegister(iss & SYS_REG_ADDR_MASK)) {
    const meaning = (v: Halves) => `Value written to ${name}: ${sgiMeaning(v)}`;
    return regNode(s, rt, true, meaning, SGI_VALUE);
  }
  return regNode(s, rt, true, `Value written to ${name}`);
}

function callNodes(s: Aarch64Snapshot, ec: number): ExplainNode[] {
  const wide = ec === EC.HVC64 || ec === EC.SMC64;
  const out: ExplainNode[] = [];
  const x0 = optionalX(s, 0);
  if (x0 !== undefined) {
    const fid = Number(x0 & 0xffff_ffffn);
    const name = smcccFunctionName(fid);
    const meaning = `SMCCC function ID ${hexNum(fid)}${name === undefined ? "" : `: ${name}`}`;
    out.push(...regNode(s, 0, wide, meaning, SMCCC_FUNCTION_ID));
  }
  for (let n = 1; n <= 6; n++) out.push(...regNode(s, n, wide, `Argument ${n}`));
  return out;
}

/** `LDRSH w1, [x2] (register, 2 bytes)`, `LDR x3, <PC-relative literal> (literal, 8 bytes)`. */
function instructionMeaning(word: number): string {
  const ls = decodeA64LoadStore(word);
  if (ls === undefined) {
    return "A64 instruction at the faulting PC: not a single-register integer load/store";
  }
  const rt = ls.regWidth === 8 ? xReg(ls.rt) : wReg(ls.rt);
  const address = ls.rn === undefined ? "<PC-relative literal>" : `[${baseReg(ls.rn)}]`;
  const bytes = `${ls.width} byte${ls.width === 1 ? "" : "s"}`;
  return `${ls.mnemonic} ${rt}, ${address} (${ls.form}, ${bytes})`;
}

function dataAbortNodes(s: Aarch64Snapshot, iss: number): ExplainNode[] {
  if (isSet(ISV, iss)) {
    if (!isSet(WNR, iss)) return [];
    const bytes = 1 << bits(SAS, iss);
    const meaning = `Store data source (low ${bytes} bytes written)`;
    return regNode(s, bits(SRT, iss), isSet(SF, iss), meaning);
  }
  const word = instructionWord(s);
  if (word === undefined) return [];
  const c = loadStoreClass(word);
  const ls = decodeA64LoadStore(word);
  const fields =
    ls === undefined || c === undefined ? [] : explainFields({ lo: word, hi: 0 }, c.fields);
  const node = explainNode("instruction", 31, 0, word, instructionMeaning(word), fields);
  if (ls === undefined || !ls.isWrite) return [node];
  const data = `Store data source (low ${ls.width} bytes written)`;
  return [node, ...regNode(s, ls.rt, ls.regWidth === 8, data)];
}

function usedRegisterNodes(s: Aarch64Snapshot, ec: number, iss: number): ExplainNode[] {
  if (ec === EC.DABT_LOW || ec === EC.DABT_CUR) return dataAbortNodes(s, iss);
  if (ec === EC.SYS64) return sys64Nodes(s, iss);
  if (ec === EC.HVC32 || ec === EC.SMC32 || ec === EC.HVC64 || ec === EC.SMC64) {
    return callNodes(s, ec);
  }
  if (ec === EC.WFX && isSet(RV, iss)) {
    return regNode(s, bits(RN, iss), true, "WFIT/WFET timeout (compared with CNTVCT_EL0)");
  }
  return [];
}

const isAbort = (ec: number): boolean =>
  ec === EC.IABT_LOW || ec === EC.IABT_CUR || ec === EC.DABT_LOW || ec === EC.DABT_CUR;

/**
 * Explains a whole AArch64 exit snapshot: the exception kind, the INTID (IRQ/FIQ), ESR_EL2 with
 * its `explainEsr` tree, for aborts FAR_EL2, HPFAR_EL2 and the IPA they form, and the guest
 * registers the exit class uses (store data, the instruction word, MSR source, SMCCC x0…x6, the
 * WFxT timeout). Registers that are not supplied are left out. It accepts what `decodeAarch64`
 * accepts and rejects a bad value with the same `VmExitError` (`options` too); only a missing
 * register it does not need stops it no more than it stops an explanation.
 * @example explainAarch64({ esr: 0x93810047, hpfar: 0x90000n, far: 0x10n, x: [0n, 7n] })
 */
export function explainAarch64(
  snapshot: Aarch64Snapshot,
  options?: Aarch64DecodeOptions,
): ExplainNode[] {
  const exception = snapshotException(snapshot);
  checkOptions(options, AARCH64_DECODE_OPTIONS);
  const kind = EXCEPTIONS.indexOf(exception);
  const out: ExplainNode[] = [explainNode("exception", 8, 7, kind, EXCEPTION_MEANINGS[kind])];
  if (exception === "irq" || exception === "fiq") return [...out, ...interruptNodes(snapshot)];
  if (snapshot.esr === undefined) {
    throw new VmExitError("missing-register", "esr is needed to explain the exit", "esr");
  }
  const reg = splitU64(snapshot.esr, "esr", { lo: 0, hi: 0 });
  const esr = joinU64(reg.lo, reg.hi);
  if (exception === "serror") {
    checkEsrRes0(reg.lo, reg.hi);
    out.push(explainNode("ESR_EL2", 63, 0, esr, "SERROR", explainFields(reg, serrorEsrLayout)));
    return out;
  }
  checkEsr(reg.lo, reg.hi);
  const tree = explainFields(reg, esrLayout);
  const ec = bits(ESR_EC, reg.lo);
  const iss = bits(ESR_ISS, reg.lo);
  const summary = tree.find((n) => n.name === "ISS")?.meaning;
  const name = ESR_EC_NAMES[ec] as string;
  out.push(
    explainNode("ESR_EL2", 63, 0, esr, summary === undefined ? name : `${name}: ${summary}`, tree),
  );
  if (isAbort(ec)) out.push(...faultNodes(snapshot, isSet(FNV, iss)));
  out.push(...usedRegisterNodes(snapshot, ec, iss));
  return out;
}
