// The whole ESR_EL2 as one layout: EC, IL, the ISS of the exception class (indexed by EC) and
// its ISS2. What `explainEsr` prints; the decoders read the same field objects from the class
// files (abort.ts, sys64.ts, wfx.ts, serror.ts).
import { type BitField, bits, field, type Halves, reserved } from "../../core/layout";
import {
  DATA_ABORT_ISS2_FIELDS,
  dataAbortFields,
  dataAbortSummary,
  GPC_FIELDS,
  INSTRUCTION_ABORT_ISS2_FIELDS,
  instructionAbortFields,
  instructionAbortSummary,
} from "./abort";
import { immLayout, SMC32_LAYOUT } from "./call";
import { type IssLayout, issLayout } from "./common";
import {
  BREAKPOINT_LAYOUT,
  commentLayout,
  SOFTWARE_STEP_LAYOUT,
  WATCHPOINT_ISS2_FIELDS,
  WATCHPOINT_LAYOUT,
} from "./debug";
import { ESR_EC, ESR_IL, ESR_ISS, ESR_ISS2, ESR_RES0 } from "./esr";
import { SERROR_ISS } from "./serror";
import { LDC_LAYOUT, mcrLayout, mcrrLayout, SYS64_ISS } from "./sys";
import {
  BTI_LAYOUT,
  ERET_LAYOUT,
  FP_ACCESS_LAYOUT,
  FP_EXC_LAYOUT,
  FPAC_LAYOUT,
  GCS_LAYOUT,
  IMP_DEF_LAYOUT,
  MOPS_LAYOUT,
  OTHER_LAYOUT,
  SME_LAYOUT,
} from "./trap";
import { WFX_ISS } from "./wfx";

/** Classes whose ISS is entirely RES0 (unknown reason, PAC trap, illegal state, SVE, PC/SP alignment). */
const RES0_ISS: IssLayout = issLayout([reserved(24, 0)], (iss) =>
  iss === 0 ? "No syndrome information: the ISS is RES0 for this class" : undefined,
);

const IABT_ISS: IssLayout = issLayout(instructionAbortFields, instructionAbortSummary);
const DABT_ISS: IssLayout = issLayout(dataAbortFields, dataAbortSummary);

const ROWS: readonly (readonly [ec: number, layout: IssLayout])[] = [
  [0x00, RES0_ISS],
  [0x01, WFX_ISS],
  [0x03, mcrLayout(15)],
  [0x04, mcrrLayout(15)],
  [0x05, mcrLayout(14)],
  [0x06, LDC_LAYOUT],
  [0x07, FP_ACCESS_LAYOUT],
  [0x08, mcrLayout(10)],
  [0x09, RES0_ISS],
  [0x0a, OTHER_LAYOUT],
  [0x0c, mcrrLayout(14)],
  [0x0d, BTI_LAYOUT],
  [0x0e, RES0_ISS],
  [0x11, immLayout("SVC")],
  [0x12, immLayout("HVC")],
  [0x13, SMC32_LAYOUT],
  [0x15, immLayout("SVC")],
  [0x16, immLayout("HVC")],
  [0x17, immLayout("SMC")],
  [0x18, SYS64_ISS],
  [0x19, RES0_ISS],
  [0x1a, ERET_LAYOUT],
  [0x1c, FPAC_LAYOUT],
  [0x1d, SME_LAYOUT],
  [0x1e, issLayout(GPC_FIELDS)],
  [0x1f, IMP_DEF_LAYOUT],
  [0x20, IABT_ISS],
  [0x21, IABT_ISS],
  [0x22, RES0_ISS],
  [0x24, DABT_ISS],
  [0x25, DABT_ISS],
  [0x26, RES0_ISS],
  [0x27, MOPS_LAYOUT],
  [0x28, FP_EXC_LAYOUT],
  [0x2c, FP_EXC_LAYOUT],
  [0x2d, GCS_LAYOUT],
  [0x2f, SERROR_ISS],
  [0x30, BREAKPOINT_LAYOUT],
  [0x31, BREAKPOINT_LAYOUT],
  [0x32, SOFTWARE_STEP_LAYOUT],
  [0x33, SOFTWARE_STEP_LAYOUT],
  [0x34, WATCHPOINT_LAYOUT],
  [0x35, WATCHPOINT_LAYOUT],
  [0x38, commentLayout("BKPT")],
  [0x3a, BREAKPOINT_LAYOUT],
  [0x3c, commentLayout("BRK")],
];

// An unallocated EC never reaches a layout (checkEsr rejects it; an SError is read with the
// SError ISS): the table is total all the same, with a bare ISS.
const UNALLOCATED_ISS: BitField = field("ISS", ESR_ISS.hi, ESR_ISS.lo);

function issTable(): readonly BitField[] {
  const t = new Array<BitField>(64).fill(UNALLOCATED_ISS);
  for (const [ec, layout] of ROWS) t[ec] = field("ISS", ESR_ISS.hi, ESR_ISS.lo, layout);
  return t;
}

/** The ISS field of every exception class, its sub-fields and summary, indexed by EC 0…63. */
export const ISS_BY_EC: readonly BitField[] = /* @__PURE__ */ issTable();

/** The ISS of an SError syndrome, whatever EC says (the `serror` exception). */
export const SERROR_ISS_FIELD: BitField = ISS_BY_EC[0x2f] as BitField;

/** ISS2 with the fields of one owner: `instruction abort`, `data abort`, `watchpoint`. */
function iss2Of(owner: string, fields: readonly BitField[]): BitField {
  return field("ISS2", ESR_ISS2.hi, ESR_ISS2.lo, {
    meaning: (v) => (v === 0 ? `No additional ${owner} syndrome` : `Additional ${owner} syndrome`),
    fields,
  });
}

const NO_ISS2: BitField = field("ISS2", ESR_ISS2.hi, ESR_ISS2.lo, (v) =>
  v === 0
    ? "No ISS2 fields for this exception class"
    : "RES0 for this exception class, but non-zero",
);

function iss2Table(): readonly BitField[] {
  const t = new Array<BitField>(64).fill(NO_ISS2);
  const iabt = iss2Of("instruction abort", INSTRUCTION_ABORT_ISS2_FIELDS);
  const dabt = iss2Of("data abort", DATA_ABORT_ISS2_FIELDS);
  const watch = iss2Of("watchpoint", WATCHPOINT_ISS2_FIELDS);
  t[0x20] = iabt;
  t[0x21] = iabt;
  t[0x24] = dabt;
  t[0x25] = dabt;
  t[0x34] = watch;
  t[0x35] = watch;
  return t;
}

/** The ISS2 field of every exception class (data aborts, instruction aborts and watchpoints define some). */
export const ISS2_BY_EC: readonly BitField[] = /* @__PURE__ */ iss2Table();

/** ESR_EL2 field by field: RES0 [63:56] (shown when set), EC, IL, the class's ISS and ISS2. */
export function esrLayout(reg: Halves): readonly BitField[] {
  const ec = bits(ESR_EC, reg.lo);
  return [ESR_RES0, ESR_EC, ESR_IL, ISS_BY_EC[ec] as BitField, ISS2_BY_EC[ec] as BitField];
}

/** ESR_EL2 of an SError exception: the ISS read as an SError syndrome whatever EC holds. */
export function serrorEsrLayout(reg: Halves): readonly BitField[] {
  return [ESR_RES0, ESR_EC, ESR_IL, SERROR_ISS_FIELD, ISS2_BY_EC[bits(ESR_EC, reg.lo)] as BitField];
}
