// arm64 (and 32-bit ARM): the snapshot a `kvm_exit` line and its companions determine. The exit
// line holds only the exception type and ESR_EL2.EC; the rest of the syndrome comes from
//
//   kvm_guest_fault     hsr = ESR_EL2, hxfar = FAR_EL2, ipa (HPFAR_EL2 = ipa >> 8): aborts
//   kvm_handle_sys_reg  ESR_EL2 of a SYS64 trap
//   kvm_sys_access      Op0, Op1, CRn, CRm, Op2 and the direction (not Rt)
//   kvm_wfx_arm64       WFE or WFI (ISS.TI)
//   kvm_hvc_arm64       x0 and the immediate (ISS.imm16)
//   kvm_mmio            the data of an MMIO write (every register the trace lacks is set to it)
//   kvm_mmio_emulate    the instruction word of an access without a valid syndrome
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import { VmExitError } from "../../core/error";
import { TYPE_IRQ, TYPE_NAMES, TYPE_NONE, TYPE_SERROR, TYPE_TRAP } from "../scan/arm-exit";
import { numValue } from "../scan/bytes";
import {
  EV_GUEST_FAULT,
  EV_HANDLE_SYS_REG,
  EV_HVC_ARM64,
  EV_MMIO,
  EV_MMIO_EMULATE,
  EV_SYS_ACCESS,
  EV_WFX_ARM64,
} from "../scan/events";
import type { Reconstruction } from "./complete";
import type { TraceOptions } from "./options";
import {
  EMU_INSN,
  GF_ESR,
  GF_FAR,
  GF_IPA,
  GF_RISCV,
  HVC_IMM,
  HVC_X0,
  MR_GPA,
  MR_LEN,
  MR_VAL,
  MW_GPA,
  MW_LEN,
  MW_VAL,
  SA_OPS,
  SA_WRITE,
  SR_ESR,
  type VcpuState,
  WFX_E,
} from "./state";
import { ABSENT } from "./store";
import { classOf, cvBig, cvValue, maskedValue } from "./values";

const EC_WFX = 0x01;
const EC_SYS64 = 0x18;
const EC_IABT_LOW = 0x20;
const EC_DABT_LOW = 0x24;
/** HVC/SMC, AArch32 and AArch64: x0 chooses PSCI function or hypercall. */
const CALL_ECS: ReadonlySet<number> = new Set([0x12, 0x13, 0x16, 0x17]);
/** ECs whose exit kind the ISS chooses (WFI/WFE, the system register and direction, the abort's syndrome). */
const ISS_CHOOSES_KIND: ReadonlySet<number> = new Set([EC_WFX, EC_SYS64, EC_DABT_LOW]);
const IL = 1 << 25;

function unknownType(text: string): Reconstruction {
  return {
    codec: undefined,
    snapshot: {},
    options: undefined,
    kindChosenByGuest: true,
    reason: new VmExitError(
      "unknown-exit-reason",
      `arm64 exception type ${text} is not a guest exit vmexit can decode`,
      "exceptionType",
    ),
  };
}

/** The exception type's printed text (for messages). */
export function armTypeText(st: VcpuState): string {
  return TYPE_NAMES[st.n0] || `0x${st.n5.toString(16)}`;
}

/** What the trace determines of an arm64 exit. */
export function aarch64Reconstruction(st: VcpuState, opts: TraceOptions): Reconstruction {
  const codec = codecs.aarch64 as AnyCodec;
  const options = opts.of("aarch64");
  const type = st.n0;
  const snapshot: Record<string, unknown> = {};
  if (type === TYPE_IRQ) {
    // the INTID KVM acknowledged is not in the trace
    snapshot.esr = 0;
    snapshot.exception = "irq";
    return { codec, snapshot, options, kindChosenByGuest: false };
  }
  if (type === TYPE_SERROR) {
    snapshot.esr = 0x2f << 26;
    snapshot.exception = "serror";
    return { codec, snapshot, options, kindChosenByGuest: false };
  }
  if (type !== TYPE_TRAP && type !== TYPE_NONE) return unknownType(armTypeText(st));
  const fault = st.saw(EV_GUEST_FAULT) && st.cv[GF_RISCV] === 0;
  let ec = st.n2 === 1 ? st.n1 : -1;
  if (ec < 0 && fault) ec = ((st.cv[GF_ESR + 1] as number) >>> 26) & 0x3f;
  if (ec < 0 && st.saw(EV_HANDLE_SYS_REG)) ec = ((st.cv[SR_ESR + 1] as number) >>> 26) & 0x3f;
  if (ec < 0) {
    return {
      codec,
      snapshot,
      options,
      kindChosenByGuest: true,
      reason: new VmExitError(
        "missing-register",
        "this kvm_exit prints no exception class and no kvm_guest_fault or kvm_handle_sys_reg gives ESR_EL2",
        "esr",
      ),
    };
  }
  let unknownIss = false;
  let unknownFields: readonly string[] | undefined;
  if (fault && (ec === EC_DABT_LOW || ec === EC_IABT_LOW || ec === 0x25 || ec === 0x21)) {
    snapshot.esr = cvValue(st, GF_ESR);
  } else if (st.saw(EV_HANDLE_SYS_REG) && ec === EC_SYS64) {
    snapshot.esr = cvValue(st, SR_ESR);
  } else {
    let iss = 0;
    if (ec === EC_WFX && st.saw(EV_WFX_ARM64)) iss = st.cv[WFX_E] as number;
    else if (CALL_ECS.has(ec) && st.saw(EV_HVC_ARM64))
      iss = (st.cv[HVC_IMM + 1] as number) & 0xffff;
    else if (ec === EC_SYS64 && st.saw(EV_SYS_ACCESS)) {
      const [op0, op1, crn, crm, op2] = [0, 1, 2, 3, 4].map(
        (i) => (st.cv[SA_OPS + i] as number) & 0xf,
      ) as [number, number, number, number, number];
      const read = st.cv[SA_WRITE] === 0;
      iss =
        ((op0 & 3) << 20) |
        ((op2 & 7) << 17) |
        ((op1 & 7) << 14) |
        (crn << 10) |
        (crm << 1) |
        (read ? 1 : 0);
      // Rt is not in kvm_sys_access: a read's destination register is unknown
      unknownFields = ["reg"];
    } else unknownIss = ISS_CHOOSES_KIND.has(ec);
    snapshot.esr = ((ec << 26) | IL | iss) >>> 0;
  }
  if (unknownIss) {
    return {
      codec,
      snapshot,
      options,
      kindChosenByGuest: true,
      reason: new VmExitError(
        "missing-register",
        `the ISS of ESR_EL2 chooses what EC 0x${ec.toString(16)} is, and no companion event (kvm_guest_fault, kvm_handle_sys_reg, kvm_sys_access, kvm_wfx_arm64) gives it`,
        "esr",
      ),
    };
  }
  if (fault) {
    snapshot.far = cvValue(st, GF_FAR);
    // HPFAR_EL2[47:4] = IPA[51:12]
    const hi = st.cv[GF_IPA] as number;
    const lo = st.cv[GF_IPA + 1] as number;
    snapshot.hpfar = numValue(hi >>> 8, (((lo >>> 8) | (hi << 24)) & ~0xf) >>> 0);
  }
  if (st.saw(EV_MMIO_EMULATE)) snapshot.instruction = st.cv[EMU_INSN + 1];
  const x: (number | bigint | undefined)[] = [];
  let x0Known = false;
  if (st.saw(EV_HVC_ARM64)) {
    x[0] = cvValue(st, HVC_X0);
    x0Known = true;
  }
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  if (ec === EC_DABT_LOW && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const valOff = write ? MW_VAL : MR_VAL;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    if (write) fill = maskedValue(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    if (snapshot.instruction === undefined) {
      mmio = { write, gpa: cvBig(st, write ? MW_GPA : MR_GPA), len, val: cvBig(st, valOff) };
    }
  }
  if (x.length > 0) snapshot.x = x;
  const out: { -readonly [K in keyof Reconstruction]: Reconstruction[K] } = {
    codec,
    snapshot,
    options,
    kindChosenByGuest: CALL_ECS.has(ec) && !x0Known,
    classId: classOf(2, Number(snapshot.esr) % 4294967296, st.seen),
  };
  // an SGI register write whose value is unknown may still be a Nothing (RS > 3)
  if (ec === EC_SYS64) out.uncertainKinds = ["SendIPI"];
  if (unknownFields !== undefined) out.unknownFields = unknownFields;
  if (mmio !== undefined) out.mmio = mmio;
  if (fill !== undefined) {
    const filled = x.slice();
    for (let i = 0; i < 31; i++) if (filled[i] === undefined) filled[i] = fill;
    out.decodeSnapshot = { ...snapshot, x: filled };
  }
  return out;
}
