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
import type { ExitKind } from "../../core/exit";
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
import { type Reconstruction, reconstruction } from "./complete";
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
import { classOf, cvValue, maskedValue } from "./values";

const EC_WFX = 0x01;
const EC_SYS64 = 0x18;
const EC_IABT_LOW = 0x20;
const EC_DABT_LOW = 0x24;
/** HVC/SMC, AArch32 and AArch64: x0 chooses PSCI function or hypercall. */
const CALL_ECS: ReadonlySet<number> = new Set([0x12, 0x13, 0x16, 0x17]);
/** ECs whose exit kind the ISS chooses (WFI/WFE, the system register and direction, the abort's syndrome). */
const ISS_CHOOSES_KIND: ReadonlySet<number> = new Set([EC_WFX, EC_SYS64, EC_DABT_LOW]);
const IL = 1 << 25;
/** The class code of an IRQ exit, which has no ESR (a class id is only a hint: sharing it with an ESR costs a lookup). */
const IRQ_CLASS = 0xffff_ffff;

/** An arm64 snapshot: every key present (one object shape), the ones the trace lacks undefined. */
function armSnapshot(
  esr: number | bigint,
  exception: string | undefined,
  far: number | bigint | undefined,
  hpfar: number | bigint | undefined,
  instruction: number | undefined,
  x: (number | bigint | undefined)[] | undefined,
): Record<string, unknown> {
  return { esr, exception, far, hpfar, instruction, x };
}

function unknownType(text: string): Reconstruction {
  const out = reconstruction(undefined, {}, undefined, true);
  out.reason = new VmExitError(
    "unknown-exit-reason",
    `arm64 exception type ${text} is not a guest exit vmexit can decode`,
    "exceptionType",
  );
  return out;
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
  if (type === TYPE_IRQ) {
    // the INTID KVM acknowledged is not in the trace: every IRQ exit is the same partial one, so
    // its class is named for the outcome memo to answer before the decoder fails again
    const snapshot = armSnapshot(0, "irq", undefined, undefined, undefined, undefined);
    const out = reconstruction(codec, snapshot, options, false);
    out.classId = classOf(2, IRQ_CLASS, 0);
    return out;
  }
  if (type === TYPE_SERROR) {
    const snapshot = armSnapshot(0x2f << 26, "serror", undefined, undefined, undefined, undefined);
    return reconstruction(codec, snapshot, options, false);
  }
  if (type !== TYPE_TRAP && type !== TYPE_NONE) return unknownType(armTypeText(st));
  const fault = st.saw(EV_GUEST_FAULT) && st.cv[GF_RISCV] === 0;
  let ec = st.n2 === 1 ? st.n1 : -1;
  if (ec < 0 && fault) ec = ((st.cv[GF_ESR + 1] as number) >>> 26) & 0x3f;
  if (ec < 0 && st.saw(EV_HANDLE_SYS_REG)) ec = ((st.cv[SR_ESR + 1] as number) >>> 26) & 0x3f;
  if (ec < 0) {
    const out = reconstruction(codec, {}, options, true);
    out.reason = new VmExitError(
      "missing-register",
      "this kvm_exit prints no exception class and no kvm_guest_fault or kvm_handle_sys_reg gives ESR_EL2",
      "esr",
    );
    return out;
  }
  let unknownIss = false;
  let unknownFields: readonly string[] | undefined;
  let esr: number | bigint;
  if (fault && (ec === EC_DABT_LOW || ec === EC_IABT_LOW || ec === 0x25 || ec === 0x21)) {
    esr = cvValue(st, GF_ESR);
  } else if (st.saw(EV_HANDLE_SYS_REG) && ec === EC_SYS64) {
    esr = cvValue(st, SR_ESR);
  } else {
    let iss = 0;
    if (ec === EC_WFX && st.saw(EV_WFX_ARM64)) iss = st.cv[WFX_E] as number;
    else if (CALL_ECS.has(ec) && st.saw(EV_HVC_ARM64))
      iss = (st.cv[HVC_IMM + 1] as number) & 0xffff;
    else if (ec === EC_SYS64 && st.saw(EV_SYS_ACCESS)) {
      const cv = st.cv;
      const op0 = (cv[SA_OPS] as number) & 0xf;
      const op1 = (cv[SA_OPS + 1] as number) & 0xf;
      const crn = (cv[SA_OPS + 2] as number) & 0xf;
      const crm = (cv[SA_OPS + 3] as number) & 0xf;
      const op2 = (cv[SA_OPS + 4] as number) & 0xf;
      const read = cv[SA_WRITE] === 0;
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
    esr = ((ec << 26) | IL | iss) >>> 0;
  }
  if (unknownIss) {
    const snapshot = armSnapshot(esr, undefined, undefined, undefined, undefined, undefined);
    const out = reconstruction(codec, snapshot, options, true);
    out.reason = new VmExitError(
      "missing-register",
      `the ISS of ESR_EL2 chooses what EC 0x${ec.toString(16)} is, and no companion event (kvm_guest_fault, kvm_handle_sys_reg, kvm_sys_access, kvm_wfx_arm64) gives it`,
      "esr",
    );
    return out;
  }
  let far: number | bigint | undefined;
  let hpfar: number | bigint | undefined;
  if (fault) {
    far = cvValue(st, GF_FAR);
    // HPFAR_EL2[47:4] = IPA[51:12]
    const hi = st.cv[GF_IPA] as number;
    const lo = st.cv[GF_IPA + 1] as number;
    hpfar = numValue(hi >>> 8, (((lo >>> 8) | (hi << 24)) & ~0xf) >>> 0);
  }
  const instruction = st.saw(EV_MMIO_EMULATE) ? (st.cv[EMU_INSN + 1] as number) : undefined;
  const x0 = st.saw(EV_HVC_ARM64) ? cvValue(st, HVC_X0) : undefined;
  let mmio: Reconstruction["mmio"];
  let fill: number | bigint | undefined;
  if (ec === EC_DABT_LOW && st.saw(EV_MMIO)) {
    const write = st.cv[MW_LEN] !== ABSENT;
    const valOff = write ? MW_VAL : MR_VAL;
    const len = st.cv[write ? MW_LEN : MR_LEN] as number;
    if (write) fill = maskedValue(st.cv[valOff] as number, st.cv[valOff + 1] as number, len);
    if (instruction === undefined) {
      mmio = { write, gpa: cvValue(st, write ? MW_GPA : MR_GPA), len, val: cvValue(st, valOff) };
    }
  }
  const x = x0 === undefined ? undefined : [x0];
  const snapshot = armSnapshot(esr, undefined, far, hpfar, instruction, x);
  const out = reconstruction(codec, snapshot, options, CALL_ECS.has(ec) && x0 === undefined);
  out.classId = classOf(2, Number(esr) % 4294967296, st.seen);
  // an SGI register write whose value is unknown may still be a Nothing (RS > 3)
  if (ec === EC_SYS64) out.uncertainKinds = SGI_UNCERTAIN;
  out.unknownFields = unknownFields;
  out.mmio = mmio;
  if (fill !== undefined) {
    out.decodeSnapshot = armSnapshot(esr, undefined, far, hpfar, instruction, filledX(x0, fill));
  }
  return out;
}

const SGI_UNCERTAIN: readonly ExitKind[] = ["SendIPI"];

/** X0…X30 with `value` in every register the trace lacks (a packed array). */
function filledX(x0: number | bigint | undefined, value: number | bigint): (number | bigint)[] {
  const x = [x0 ?? value];
  for (let i = 1; i < 31; i++) x.push(value);
  return x;
}
