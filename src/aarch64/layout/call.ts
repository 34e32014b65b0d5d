// The ISS of an exception-generating instruction (Arm ARM D24.2.40, "ISS encoding for an exception
// from HVC or SVC instruction execution" / "… SMC …"): imm16 [15:0] for SVC, HVC and SMC64;
// CV/COND and CCKNOWNPASS [19] for SMC32, which has no immediate.
import { type BitField, bits, field, flag, reserved } from "../../core/layout";
import { fieldAt } from "./at";
import { COND, CV, hexNum, type IssLayout, issLayout } from "./common";
import { CallIss } from "./positions";

/** imm16 [15:0]: the immediate of SVC, HVC and SMC (AArch64). */
export const IMM16: BitField = fieldAt("imm16", CallIss.IMM16);

/** SVC/HVC (both states) and SMC64: imm16 in [15:0]. */
export function immLayout(mnemonic: "SVC" | "HVC" | "SMC"): IssLayout {
  return issLayout(
    [reserved(24, 16), field("imm16", IMM16.hi, IMM16.lo, (v) => `${mnemonic} #${hexNum(v)}`)],
    (iss) => `${mnemonic} #${hexNum(bits(IMM16, iss))}`,
  );
}

/** EC 0x13: trapped SMC from AArch32 (no immediate; CCKNOWNPASS says whether the condition passed). */
export const SMC32_LAYOUT: IssLayout = issLayout([
  CV,
  COND,
  flag(
    "CCKNOWNPASS",
    19,
    "Unconditional, or conditional and passed its condition code check",
    "Conditional: might have failed its condition code check (see CV/COND)",
  ),
  reserved(18, 0),
]);
