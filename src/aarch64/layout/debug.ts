// ISS layouts of the debug exception classes: breakpoints and vector catch (EC 0x30/0x31/0x3A),
// software step (EC 0x32/0x33), watchpoints (EC 0x34/0x35) and the BKPT/BRK instructions (EC
// 0x38/0x3C). Sources: Arm ARM D24.2.40 (ESR_EL2 ISS encodings); QEMU `syn_swstep`,
// `syn_watchpoint`, `syn_breakpoint`; google/aarch64-esr-decoder breakpoint.rs.

import { type BitField, field, flag, reserved } from "../../core/layout";
import { hexNum, type IssLayout, issLayout } from "./common";

const DEBUG_FSC = (v: number): string =>
  v === 0x22
    ? "Debug exception"
    : `Unexpected fault status code ${hexNum(v)} (debug exceptions report 0x22)`;

/** EC 0x30/0x31 (hardware breakpoint) and 0x3A (AArch32 vector catch). */
export const BREAKPOINT_LAYOUT: IssLayout = issLayout([
  reserved(24, 6),
  field("IFSC", 5, 0, DEBUG_FSC),
]);

/** EC 0x32/0x33: software step. */
export const SOFTWARE_STEP_LAYOUT: IssLayout = {
  fields: (reg) => [
    flag("ISV", 24, "EX is not valid (RES0)", "EX is valid"),
    reserved(23, 7),
    (reg.lo & 0x100_0000) !== 0
      ? flag(
          "EX",
          6,
          "The stepped instruction was not a Load-Exclusive",
          "The stepped instruction was a Load-Exclusive",
        )
      : reserved(6, 6),
    field("IFSC", 5, 0, DEBUG_FSC),
  ],
};

/** EC 0x34/0x35: watchpoint. */
export const WATCHPOINT_LAYOUT: IssLayout = issLayout([
  reserved(24, 24),
  field("WPT", 23, 18, (v, reg) =>
    (reg.lo & 0x2_0000) !== 0 ? `Watchpoint ${v} triggered` : "Not valid (WPTV is 0)",
  ),
  flag("WPTV", 17, "WPT is not valid", "WPT holds the number of the watchpoint (FEAT_Debugv8p9)"),
  flag(
    "WPF",
    16,
    "Not a false-positive watchpoint match",
    "The watchpoint match might be false-positive",
  ),
  flag(
    "FnP",
    15,
    "FAR holds the address that matched the watchpoint",
    "FAR holds an address within the naturally aligned granule of the matched address",
  ),
  reserved(14, 14),
  flag(
    "VNCR",
    13,
    "Not a VNCR_EL2-based access",
    "Watchpoint on a VNCR_EL2-based access (FEAT_NV2)",
  ),
  reserved(12, 11),
  flag("FnV", 10, "FAR is valid", "FAR is not valid"),
  reserved(9, 9),
  flag(
    "CM",
    8,
    "Not a cache maintenance instruction",
    "Watchpoint on a cache maintenance instruction",
  ),
  reserved(7, 7),
  flag("WnR", 6, "Watchpoint on a read", "Watchpoint on a write"),
  field("DFSC", 5, 0, DEBUG_FSC),
]);

/** EC 0x38 (BKPT, AArch32) and 0x3C (BRK, AArch64): the instruction's comment. */
export function commentLayout(mnemonic: "BKPT" | "BRK"): IssLayout {
  return issLayout(
    [reserved(24, 16), field("Comment", 15, 0, (v) => `${mnemonic} #${hexNum(v)}`)],
    (iss) => `${mnemonic} #${hexNum(iss & 0xffff)}`,
  );
}

/** Watchpoint ISS2 (ESR bits 55:32) fields: GCS. */
export const WATCHPOINT_ISS2_FIELDS: readonly BitField[] = [
  reserved(55, 41),
  flag(
    "GCS",
    40,
    "Not a Guarded Control Stack data access",
    "Watchpoint on a Guarded Control Stack data access",
  ),
  reserved(39, 32),
];
