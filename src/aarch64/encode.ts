import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { isVmExit } from "../core/guards";
import type { BitField } from "../core/layout";
import { checkOptions } from "../core/options";
import { PSCI_EXITS } from "./decode/call";
import { isSgiRegister } from "./decode/sgi";
import { ISV, SAS, SF, SRT, SSE, WNR } from "./layout/abort";
import { ESR_EC, ESR_IL } from "./layout/esr";
import { FIPA } from "./layout/hpfar";
import { AFF1, AFF2, AFF3, IRM, RS, SGI_INTID } from "./layout/sgi";
import { CRM, CRN, DIRECTION, OP0, OP2, RT, SYS_REG_ADDR_MASK } from "./layout/sys64";
import { AARCH64_ENCODE_OPTIONS } from "./options";
import type { Aarch64EncodeOptions, Aarch64Snapshot } from "./snapshot";
import { EC } from "./tables/ec";
import { PSCI_ID } from "./tables/psci";

// Snapshots are assembled through the same field layouts the decoder reads (Arm ARM D24.2.40).
const put = (f: BitField, v: number): number => (v << f.lo) >>> 0; // a field within bits 31:0
const putBig = (f: BitField, v: bigint): bigint => v << BigInt(f.lo);
const esrOf = (ec: number, iss: number): number => (put(ESR_EC, ec) | put(ESR_IL, 1) | iss) >>> 0;
const FSC_TRANSLATION_L3 = 0x07;
const FSC_PERMISSION_L3 = 0x0f;
/** The largest IPA HPFAR[47:4] and FAR[11:0] can carry: 2^56 − 1. */
const IPA_MAX = (1n << 56n) - 1n;
/** `msr ICC_SGI1R_EL1, x0`: Op0 3, Op2 5, Op1 0, CRn 12, CRm 11, Rt 0, write. */
const SGI1R = put(OP0, 3) | put(OP2, 5) | put(CRN, 12) | put(CRM, 11);
const WIDTH_LOG2: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };

type Plan = Aarch64Snapshot | string;

/** Snapshot of a stage-2 abort at `addr`: HPFAR = addr[55:12] << 4, FAR = addr[11:0]. */
function abortAt(ec: number, iss: number, addr: bigint, x?: readonly bigint[]): Plan {
  if (addr > IPA_MAX) return `addr ${show(addr)} is above 2^56 − 1, the largest IPA HPFAR can hold`;
  const esr = esrOf(ec, iss);
  const far = addr & 0xfffn;
  const hpfar = putBig(FIPA, addr >> 12n);
  return x === undefined ? { esr, far, hpfar } : { esr, far, hpfar, x };
}

function hvc(x: readonly bigint[]): Aarch64Snapshot {
  return { esr: esrOf(EC.HVC64, 0), x };
}

function sendIpiPlan(e: Extract<VmExit, { kind: "SendIPI" }>): Plan {
  if (e.sendToSelf) return "SendIPI with sendToSelf: the SGI registers cannot target only self";
  if (e.vector > 15n) return `SendIPI vector ${show(e.vector)} is not an SGI number 0…15`;
  const intid = putBig(SGI_INTID, e.vector);
  if (e.sendToAll) {
    if (e.targetCpu !== 0n || e.targetCpuAux !== 0n) {
      return "SendIPI with sendToAll needs targetCpu = targetCpuAux = 0 (IRM = 1 ignores them)";
    }
    return { esr: esrOf(EC.SYS64, SGI1R), x: [putBig(IRM, 1n) | intid] };
  }
  const t = e.targetCpu;
  if ((t & ~0xffff_ff00n) !== 0n) {
    return `SendIPI targetCpu ${show(t)} is not Aff3 << 24 | Aff2 << 16 | Aff1 << 8`;
  }
  const aux = e.targetCpuAux;
  let rs = 0n;
  while (rs < 3n && aux >> (16n * (rs + 1n)) !== 0n) rs++;
  const list = aux >> (16n * rs);
  if (list > 0xffffn || list << (16n * rs) !== aux) {
    return `SendIPI targetCpuAux ${show(aux)} is not a 16-bit TargetList << 16·RS`;
  }
  const aff1 = (t >> 8n) & 0xffn;
  const aff2 = (t >> 16n) & 0xffn;
  const aff3 = (t >> 24n) & 0xffn;
  const v =
    putBig(AFF3, aff3) | putBig(RS, rs) | putBig(AFF2, aff2) | intid | putBig(AFF1, aff1) | list;
  return { esr: esrOf(EC.SYS64, SGI1R), x: [v] };
}

function plan(e: VmExit): Plan {
  switch (e.kind) {
    case "Hypercall": {
      const fid = Number(e.nr & 0xffff_ffffn);
      if (PSCI_EXITS.has(fid)) {
        return `Hypercall nr ${show(e.nr)}: W0 = 0x${fid.toString(16)} is a PSCI function that decodes to ${PSCI_EXITS.get(fid)}`;
      }
      return hvc([e.nr, ...e.args]);
    }
    case "MmioRead": {
      if (e.regWidth !== 4 && e.regWidth !== 8) {
        return `MmioRead regWidth ${e.regWidth}: an A64 load targets a W (4) or X (8) register`;
      }
      if (e.width === 8 && e.regWidth === 4) {
        return "MmioRead of 8 bytes into a 4-byte register: no A64 load does that (SAS = 3 needs SF = 1)";
      }
      const iss =
        put(ISV, 1) |
        put(SAS, WIDTH_LOG2[e.width] as number) |
        put(SSE, e.signedExt ? 1 : 0) |
        put(SRT, e.reg) |
        put(SF, e.regWidth === 8 ? 1 : 0) |
        FSC_TRANSLATION_L3;
      return abortAt(EC.DABT_LOW, iss, e.addr);
    }
    case "MmioWrite": {
      if (e.data >> BigInt(8 * e.width) !== 0n) {
        return `MmioWrite data ${show(e.data)} does not fit in width ${e.width}`;
      }
      const iss =
        put(ISV, 1) |
        put(SAS, WIDTH_LOG2[e.width] as number) |
        put(SF, e.width === 8 ? 1 : 0) |
        put(WNR, 1) |
        FSC_TRANSLATION_L3;
      return abortAt(EC.DABT_LOW, iss, e.addr, [e.data]);
    }
    case "SysRegRead":
      if ((e.addr & ~SYS_REG_ADDR_MASK) !== 0) {
        return `SysRegRead addr 0x${e.addr.toString(16)} has bits outside ISS & 0x3FFC1E`;
      }
      return { esr: esrOf(EC.SYS64, e.addr | put(RT, e.reg) | put(DIRECTION, 1)) };
    case "SysRegWrite":
      if ((e.addr & ~SYS_REG_ADDR_MASK) !== 0) {
        return `SysRegWrite addr 0x${e.addr.toString(16)} has bits outside ISS & 0x3FFC1E`;
      }
      if (isSgiRegister(e.addr)) {
        return `SysRegWrite to SGI register 0x${e.addr.toString(16)} decodes to SendIPI`;
      }
      return { esr: esrOf(EC.SYS64, e.addr), x: [e.value] };
    case "IoRead":
    case "IoWrite":
      return `${e.kind}: AArch64 has no I/O port space`;
    case "FailEntry":
      return "FailEntry: an AArch64 exit to EL2 cannot report a failed VM entry";
    case "ExternalInterrupt":
      return { esr: 0, exception: "irq", irq: e.vector };
    case "NestedPageFault":
      if (e.accessFlags === 1) return abortAt(EC.DABT_LOW, FSC_PERMISSION_L3, e.addr);
      if (e.accessFlags === 2) {
        return abortAt(EC.DABT_LOW, put(WNR, 1) | FSC_PERMISSION_L3, e.addr);
      }
      if (e.accessFlags === 4) return abortAt(EC.IABT_LOW, FSC_PERMISSION_L3, e.addr);
      return `NestedPageFault accessFlags 0x${e.accessFlags.toString(16)}: an abort reports exactly one of READ, WRITE, EXECUTE`;
    case "Halt":
      return { esr: esrOf(EC.WFX, 0) };
    case "CpuUp":
      return hvc([BigInt(PSCI_ID.CPU_ON64), e.targetCpu, e.entryPoint, e.arg]);
    case "CpuDown":
      if (e.state !== 0n) return `CpuDown state ${show(e.state)}: PSCI CPU_OFF carries no state`;
      return hvc([BigInt(PSCI_ID.CPU_OFF)]);
    case "SystemDown":
      return hvc([BigInt(PSCI_ID.SYSTEM_OFF)]);
    case "Nothing":
      return { esr: esrOf(EC.WFX, 1) };
    case "SendIPI":
      return sendIpiPlan(e);
  }
}

/**
 * True when `encodeAarch64(exit, options)` succeeds (exactly). Throws only for bad `options`
 * (there are none to give), as `encodeAarch64` does.
 * @example canEncodeAarch64({ kind: "IoRead", port: 0x3f8, width: 1 }) // false: no port I/O
 */
export function canEncodeAarch64(exit: unknown, options?: Aarch64EncodeOptions): boolean {
  checkOptions(options, AARCH64_ENCODE_OPTIONS);
  return isVmExit(exit) && typeof plan(exit) !== "string";
}

/**
 * A snapshot that `decodeAarch64` turns back into `exit`; `VmExitError("unrepresentable")` when
 * AArch64 cannot express it, `"invalid-argument"` when `exit` is not a `VmExit` or `options` are
 * given (there are none).
 * @example encodeAarch64({ kind: "Halt" }) // { esr: 0x06000000 } (WFI)
 */
export function encodeAarch64(exit: VmExit, options?: Aarch64EncodeOptions): Aarch64Snapshot {
  checkOptions(options, AARCH64_ENCODE_OPTIONS);
  if (!isVmExit(exit)) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a valid VmExit, got ${show(exit)}`,
      "exit",
    );
  }
  const p = plan(exit);
  if (typeof p === "string") throw new VmExitError("unrepresentable", p, "exit");
  return p;
}
