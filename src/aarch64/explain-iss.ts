// The ISS layout of every exception class, indexed by EC (ESR bits 31:26). Unallocated classes have
// no layout. EC 0x1B keeps the TSTART layout of the Arm ARM issues that defined FEAT_TME.

import {
  DATA_ABORT_ISS2_FIELDS,
  dataAbortFields,
  dataAbortSummary,
  GPC_FIELDS,
  INSTRUCTION_ABORT_ISS2_FIELDS,
  instructionAbortFields,
  instructionAbortSummary,
  WATCHPOINT_ISS2_FIELDS,
} from "./explain-abort";
import {
  BREAKPOINT_LAYOUT,
  commentLayout,
  SOFTWARE_STEP_LAYOUT,
  WATCHPOINT_LAYOUT,
} from "./explain-debug";
import { type EsrFieldSpec, type EsrIssLayout, fixedLayout, res0 } from "./explain-fields";
import { LDC_LAYOUT, mcrLayout, mcrrLayout, SYS64_LAYOUT } from "./explain-sys";
import {
  BTI_LAYOUT,
  ERET_LAYOUT,
  FP_ACCESS_LAYOUT,
  FP_EXC_LAYOUT,
  FPAC_LAYOUT,
  GCS_LAYOUT,
  IMP_DEF_LAYOUT,
  immLayout,
  MOPS_LAYOUT,
  OTHER_LAYOUT,
  SERROR_LAYOUT,
  SMC32_LAYOUT,
  SME_LAYOUT,
  TSTART_LAYOUT,
  WFX_LAYOUT,
} from "./explain-trap";

/** Classes whose ISS is entirely RES0 (unknown reason, PAC trap, illegal state, SVE, PC/SP alignment). */
const RES0_LAYOUT: EsrIssLayout = fixedLayout([res0(24, 0)], (iss) =>
  iss === 0 ? "No syndrome information: the ISS is RES0 for this class" : undefined,
);

const IABT_LAYOUT: EsrIssLayout = {
  fields: instructionAbortFields,
  summary: instructionAbortSummary,
};

const DABT_LAYOUT: EsrIssLayout = { fields: dataAbortFields, summary: dataAbortSummary };

const ROWS: readonly (readonly [ec: number, layout: EsrIssLayout])[] = [
  [0x00, RES0_LAYOUT],
  [0x01, WFX_LAYOUT],
  [0x03, mcrLayout(15)],
  [0x04, mcrrLayout(15)],
  [0x05, mcrLayout(14)],
  [0x06, LDC_LAYOUT],
  [0x07, FP_ACCESS_LAYOUT],
  [0x08, mcrLayout(10)],
  [0x09, RES0_LAYOUT],
  [0x0a, OTHER_LAYOUT],
  [0x0c, mcrrLayout(14)],
  [0x0d, BTI_LAYOUT],
  [0x0e, RES0_LAYOUT],
  [0x11, immLayout("SVC")],
  [0x12, immLayout("HVC")],
  [0x13, SMC32_LAYOUT],
  [0x15, immLayout("SVC")],
  [0x16, immLayout("HVC")],
  [0x17, immLayout("SMC")],
  [0x18, SYS64_LAYOUT],
  [0x19, RES0_LAYOUT],
  [0x1a, ERET_LAYOUT],
  [0x1b, TSTART_LAYOUT],
  [0x1c, FPAC_LAYOUT],
  [0x1d, SME_LAYOUT],
  [0x1e, fixedLayout(GPC_FIELDS)],
  [0x1f, IMP_DEF_LAYOUT],
  [0x20, IABT_LAYOUT],
  [0x21, IABT_LAYOUT],
  [0x22, RES0_LAYOUT],
  [0x24, DABT_LAYOUT],
  [0x25, DABT_LAYOUT],
  [0x26, RES0_LAYOUT],
  [0x27, MOPS_LAYOUT],
  [0x28, FP_EXC_LAYOUT],
  [0x2c, FP_EXC_LAYOUT],
  [0x2d, GCS_LAYOUT],
  [0x2f, SERROR_LAYOUT],
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

function buildTable(): readonly (EsrIssLayout | undefined)[] {
  const t = new Array<EsrIssLayout | undefined>(64).fill(undefined);
  for (const [ec, layout] of ROWS) t[ec] = layout;
  return t;
}

/** The ISS layout of every exception class, indexed by EC 0…63; `undefined` when the class has none. */
export const ESR_ISS_LAYOUTS: readonly (EsrIssLayout | undefined)[] = /* @__PURE__ */ buildTable();

/** The ISS2 (ESR bits 55:32) fields of a class: data aborts, instruction aborts and watchpoints define some. */
export function iss2Fields(ec: number): readonly EsrFieldSpec[] | undefined {
  if (ec === 0x24 || ec === 0x25) return DATA_ABORT_ISS2_FIELDS;
  if (ec === 0x20 || ec === 0x21) return INSTRUCTION_ABORT_ISS2_FIELDS;
  if (ec === 0x34 || ec === 0x35) return WATCHPOINT_ISS2_FIELDS;
  return undefined;
}
