import { show, VmExitError } from "../core/error";
import { type ExplainNode, explainNode } from "../core/explain";
import { joinU64, splitU64, type U64Halves } from "../core/u64";
import { ESR_EC_NAMES } from "./ec";
import { explainEsr } from "./explain-esr";
import { explainFields, field, flag, hexNum, res0, wReg, xReg } from "./explain-fields";
import { ESR_ISS_LAYOUTS } from "./explain-iss";
import { sys64RegisterName } from "./explain-sys";
import { faultIpa } from "./ipa";
import { decodeA64LoadStore } from "./ldst";
import { SMCCC_OWNER_NAMES, smcccFunctionName } from "./psci";
import type { Aarch64Exception, Aarch64Snapshot } from "./snapshot";

const EXCEPTIONS: readonly Aarch64Exception[] = ["sync", "irq", "fiq", "serror"];
const EXCEPTION_MEANINGS: readonly string[] = [
  "sync: synchronous exception (vector offset 0x000 in its VBAR_EL2 group)",
  "irq: IRQ (vector offset 0x080); ESR_EL2 is not updated",
  "fiq: FIQ (vector offset 0x100); ESR_EL2 is not updated",
  "serror: SError (vector offset 0x180); ESR_EL2 holds the SError syndrome",
];

const h: U64Halves = { lo: 0, hi: 0 };

/** A register value as 32-bit halves, or `undefined` when it was not supplied. */
function halvesOf(v: unknown, name: string): U64Halves | undefined {
  if (v === undefined) return undefined;
  const out: U64Halves = { lo: 0, hi: 0 };
  return splitU64(v, name, out);
}

function xValue(s: Aarch64Snapshot, n: number): bigint | undefined {
  if (n === 31) return 0n;
  const x = s.x;
  if (x === undefined) return undefined;
  if (!Array.isArray(x)) {
    throw new VmExitError(
      "invalid-argument",
      `x must be an array of registers, got ${show(x)}`,
      "x",
    );
  }
  const v = x[n];
  if (v === undefined) return undefined;
  const { lo, hi } = splitU64(v, `x${n}`, h);
  return joinU64(lo, hi);
}

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
  if (s.irq === undefined) return [];
  const v = splitU64(s.irq, "irq", h);
  const intid = joinU64(v.lo, v.hi);
  const hi = intid < 0x100_0000n ? 23 : 63;
  return [explainNode("INTID", hi, 0, intid, `${intidKind(intid)}, acknowledged by the host`)];
}

const HPFAR_FIELDS = [
  flag(
    "NS",
    63,
    "Non-secure IPA space (or no FEAT_SEL2)",
    "Faulting IPA is in the Non-secure space (FEAT_SEL2)",
  ),
  res0(62, 48),
];

function hpfarNode(hpfar: U64Halves): ExplainNode {
  const fipaHi = (BigInt(hpfar.hi & 0xffff) << 28n) | BigInt(hpfar.lo >>> 4);
  const low = explainFields(hpfar.lo, 0, [res0(3, 0)]);
  const children = [
    ...explainFields(hpfar.hi, 32, HPFAR_FIELDS),
    explainNode("FIPA", 47, 4, fipaHi, `IPA[55:12] = ${hexNum(Number(fipaHi))}`),
    ...low,
  ];
  const value = joinU64(hpfar.lo, hpfar.hi);
  return explainNode("HPFAR_EL2", 63, 0, value, "Faulting IPA page (stage 2 fault)", children);
}

function faultNodes(s: Aarch64Snapshot, ec: number, iss: number): ExplainNode[] {
  const out: ExplainNode[] = [];
  const isAbort = ec === 0x20 || ec === 0x21 || ec === 0x24 || ec === 0x25;
  const fnv = isAbort && (iss & 0x400) !== 0;
  const far = halvesOf(s.far, "far");
  if (far !== undefined) {
    const value = joinU64(far.lo, far.hi);
    out.push(
      explainNode(
        "FAR_EL2",
        63,
        0,
        value,
        fnv ? "Not valid: FnV is 1 (UNKNOWN value)" : "Faulting virtual address",
      ),
    );
  }
  const hpfar = halvesOf(s.hpfar, "hpfar");
  if (hpfar !== undefined) out.push(hpfarNode(hpfar));
  if (isAbort) {
    const ipa = faultIpa(s, fnv, false);
    if (ipa !== undefined) {
      const page = ipa >> 12n;
      out.push(
        explainNode("IPA", 55, 0, ipa, "Faulting intermediate physical address", [
          explainNode("FIPA", 55, 12, page, "From HPFAR_EL2[47:4]"),
          explainNode(
            "PageOffset",
            11,
            0,
            ipa & 0xfffn,
            fnv ? "Taken as 0: FAR is not valid" : "Page offset from FAR_EL2[11:0]",
          ),
        ]),
      );
    }
  }
  return out;
}

/** A general-purpose register node (`x3` / `w3`), or nothing when the register was not supplied. */
function regNode(
  s: Aarch64Snapshot,
  n: number,
  wide: boolean,
  meaning: string,
  children?: readonly ExplainNode[],
): ExplainNode[] {
  const v = xValue(s, n);
  if (v === undefined) return [];
  return wide
    ? [explainNode(n === 31 ? "xzr" : `x${n}`, 63, 0, v, meaning, children)]
    : [explainNode(n === 31 ? "wzr" : `w${n}`, 31, 0, v & 0xffff_ffffn, meaning, children)];
}

function sgiChildren(v: bigint, register: string): ExplainNode[] {
  const { lo, hi } = splitU64(v, register, h);
  return [
    ...explainFields(hi, 32, [
      res0(63, 56),
      field("Aff3", 55, 48),
      field(
        "RS",
        47,
        44,
        (rs) => `Range selector: TargetList bit n is the PE with Aff0 = ${rs * 16} + n`,
      ),
      res0(43, 41),
      flag("IRM", 40, "Route to the PEs in TargetList", "Route to all PEs except self"),
      field("Aff2", 39, 32),
    ]),
    ...explainFields(lo, 0, [
      res0(31, 28),
      field("INTID", 27, 24, (id) => `SGI ${id}`),
      field("Aff1", 23, 16),
      field("TargetList", 15, 0),
    ]),
  ];
}

function sgiMeaning(v: bigint): string {
  const intid = Number((v >> 24n) & 15n);
  if ((v >> 40n) & 1n) return `SGI ${intid} to all PEs except self`;
  const rs = Number((v >> 44n) & 15n);
  const list = Number(v & 0xffffn);
  const aff0: number[] = [];
  for (let n = 0; n < 16; n++) if ((list >> n) & 1) aff0.push(rs * 16 + n);
  const aff = `${(v >> 48n) & 0xffn}.${(v >> 32n) & 0xffn}.${(v >> 16n) & 0xffn}`;
  return aff0.length === 0
    ? `SGI ${intid} to no PE (empty TargetList)`
    : `SGI ${intid} to Aff3.Aff2.Aff1 = ${aff}, Aff0 ∈ {${aff0.join(", ")}}`;
}

function sys64Nodes(s: Aarch64Snapshot, iss: number): ExplainNode[] {
  if ((iss & 1) === 1) return [];
  const rt = (iss >>> 5) & 31;
  const name = sys64RegisterName(iss);
  if (name === "ICC_SGI1R_EL1" || name === "ICC_ASGI1R_EL1" || name === "ICC_SGI0R_EL1") {
    const v = xValue(s, rt);
    if (v === undefined) return [];
    return regNode(
      s,
      rt,
      true,
      `Value written to ${name}: ${sgiMeaning(v)}`,
      sgiChildren(v, `x${rt}`),
    );
  }
  return regNode(s, rt, true, `Value written to ${name}`);
}

const SMCCC_FIELDS = [
  flag("CallType", 31, "Yielding (standard) call", "Fast call"),
  flag("Convention", 30, "SMC32/HVC32 calling convention", "SMC64/HVC64 calling convention"),
  field("OEN", 29, 24, (v) => `Owning entity ${v}: ${SMCCC_OWNER_NAMES[v]}`),
  field("MBZ", 23, 17, (v) =>
    v === 0 ? "Must be zero" : "Must be zero, but set (legacy firmware)",
  ),
  flag("SVEHint", 16, "SVE live state may be present", "No live SVE state (SMCCC 1.3 hint)"),
  field("FunctionNumber", 15, 0),
];

function callNodes(s: Aarch64Snapshot, ec: number): ExplainNode[] {
  const wide = ec === 0x16 || ec === 0x17;
  const x0 = xValue(s, 0);
  const out: ExplainNode[] = [];
  if (x0 !== undefined) {
    const fid = Number(x0 & 0xffff_ffffn);
    const name = smcccFunctionName(fid);
    out.push(
      ...regNode(
        s,
        0,
        wide,
        `SMCCC function ID ${hexNum(fid)}${name === undefined ? "" : `: ${name}`}`,
        explainFields(fid, 0, SMCCC_FIELDS),
      ),
    );
  }
  for (let n = 1; n <= 6; n++) out.push(...regNode(s, n, wide, `Argument ${n}`));
  return out;
}

function dataAbortNodes(s: Aarch64Snapshot, iss: number): ExplainNode[] {
  if ((iss & 0x100_0000) !== 0) {
    if ((iss & 0x40) === 0) return [];
    const srt = (iss >>> 16) & 31;
    const bytes = 1 << ((iss >>> 22) & 3);
    return regNode(s, srt, (iss & 0x8000) !== 0, `Store data source (low ${bytes} bytes written)`);
  }
  if (s.instruction === undefined) return [];
  if (typeof s.instruction !== "number" || !Number.isInteger(s.instruction)) {
    throw new VmExitError(
      "invalid-argument",
      `instruction must be a 32-bit integer, got ${show(s.instruction)}`,
      "instruction",
    );
  }
  if (s.instruction < 0 || s.instruction > 0xffff_ffff) {
    throw new VmExitError(
      "out-of-range",
      `instruction must be in 0…0xffffffff, got ${show(s.instruction)}`,
      "instruction",
    );
  }
  const ls = decodeA64LoadStore(s.instruction);
  const word = explainNode(
    "instruction",
    31,
    0,
    s.instruction,
    ls === undefined
      ? "A64 instruction at the faulting PC: not a single-register integer load/store"
      : `${ls.mnemonic} ${ls.regWidth === 8 ? xReg(ls.rt) : wReg(ls.rt)}, [${ls.rn === 31 ? "sp" : `x${ls.rn}`}] (${ls.form}, ${ls.width} byte${ls.width === 1 ? "" : "s"})`,
  );
  if (ls === undefined || !ls.isWrite) return [word];
  return [
    word,
    ...regNode(s, ls.rt, ls.regWidth === 8, `Store data source (low ${ls.width} bytes written)`),
  ];
}

function usedRegisterNodes(s: Aarch64Snapshot, ec: number, iss: number): ExplainNode[] {
  if (ec === 0x24 || ec === 0x25) return dataAbortNodes(s, iss);
  if (ec === 0x18) return sys64Nodes(s, iss);
  if (ec === 0x12 || ec === 0x13 || ec === 0x16 || ec === 0x17) return callNodes(s, ec);
  if (ec === 0x01 && (iss & 4) !== 0) {
    return regNode(s, (iss >>> 5) & 31, true, "WFIT/WFET timeout (compared with CNTVCT_EL0)");
  }
  return [];
}

/**
 * Explains a whole AArch64 exit snapshot: the exception kind, the INTID (IRQ/FIQ), ESR_EL2 with
 * its `explainEsr` tree, FAR_EL2, HPFAR_EL2 and the computed IPA, and the guest registers the
 * exit uses (store data, MSR source, SMCCC x0…x6, WFxT timeout). Registers that are not supplied
 * are left out; supplied values must be valid u64s (else `VmExitError`).
 */
export function explainAarch64(snapshot: Aarch64Snapshot): ExplainNode[] {
  if (typeof snapshot !== "object" || snapshot === null) {
    throw new VmExitError(
      "invalid-argument",
      `snapshot must be an object, got ${show(snapshot)}`,
      "snapshot",
    );
  }
  const exception = snapshot.exception ?? "sync";
  const kind = EXCEPTIONS.indexOf(exception);
  if (kind < 0) {
    throw new VmExitError(
      "invalid-argument",
      `exception must be "sync", "irq", "fiq" or "serror", got ${show(exception)}`,
      "exception",
    );
  }
  const esrTree = explainEsr(snapshot.esr);
  const { lo } = splitU64(snapshot.esr, "esr", h);
  const esrValue = typeof snapshot.esr === "bigint" ? snapshot.esr : BigInt(snapshot.esr);
  const ec = lo >>> 26;
  const iss = lo & 0x1ff_ffff;
  const out: ExplainNode[] = [explainNode("exception", 8, 7, kind, EXCEPTION_MEANINGS[kind])];
  if (kind === 1 || kind === 2) {
    out.push(...interruptNodes(snapshot));
    out.push(
      explainNode("ESR_EL2", 63, 0, esrValue, "Not updated by IRQ/FIQ: shown as supplied", esrTree),
    );
    return out;
  }
  const summary = ESR_ISS_LAYOUTS[ec]?.summary?.(iss);
  const name = ESR_EC_NAMES[ec] ?? `EC ${hexNum(ec)}`;
  out.push(
    explainNode(
      "ESR_EL2",
      63,
      0,
      esrValue,
      summary === undefined ? name : `${name}: ${summary}`,
      esrTree,
    ),
  );
  out.push(...faultNodes(snapshot, ec, iss));
  out.push(...usedRegisterNodes(snapshot, ec, iss));
  return out;
}
