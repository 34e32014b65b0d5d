import { VmExitError } from "../core/error";
import { type ExplainNode, explainNode } from "../core/explain";
import { hex, joinU64, splitU64, type U64Halves } from "../core/u64";
import { ESR_EC_DESCRIPTIONS, ESR_EC_NAMES } from "./ec";
import { explainFields, hexNum } from "./explain-fields";
import { ESR_ISS_LAYOUTS, iss2Fields } from "./explain-iss";

const halves: U64Halves = { lo: 0, hi: 0 };

/** What EC means: `DABT_LOW: Data Abort from a lower Exception level`, or that it is unallocated. */
function ecMeaning(ec: number): string {
  const name = ESR_EC_NAMES[ec];
  if (name !== undefined) return `${name}: ${ESR_EC_DESCRIPTIONS[ec] ?? name}`;
  if (ec === 0x1b) {
    return "Unallocated (0x1B was the TSTART trap of FEAT_TME in Arm ARM issues that defined it)";
  }
  return `Unallocated exception class ${hexNum(ec)} (reserved)`;
}

const IL_MEANINGS = [
  "16-bit instruction trapped (T32)",
  "32-bit instruction trapped, or an exception not caused by an instruction (IL is then 1)",
];

function issNode(ec: number, iss: number): ExplainNode {
  const layout = ESR_ISS_LAYOUTS[ec];
  if (layout === undefined) {
    return explainNode("ISS", 24, 0, iss, "No ISS layout: the exception class is unallocated");
  }
  return explainNode(
    "ISS",
    24,
    0,
    iss,
    layout.summary?.(iss),
    explainFields(iss, 0, layout.fields(iss)),
  );
}

/** Whose ISS2 it is, indexed by EC >> 1 (EC 0x20/0x21, 0x24/0x25, 0x34/0x35). */
const ISS2_OWNER: Readonly<Record<number, string>> = {
  16: "instruction abort",
  18: "data abort",
  26: "watchpoint",
};

function iss2Node(ec: number, hi: number): ExplainNode {
  const iss2 = hi & 0xff_ffff;
  const fields = iss2Fields(ec);
  if (fields !== undefined) {
    return explainNode(
      "ISS2",
      55,
      32,
      iss2,
      iss2 === 0
        ? `No additional ${ISS2_OWNER[ec >>> 1]} syndrome`
        : `Additional ${ISS2_OWNER[ec >>> 1]} syndrome`,
      explainFields(hi, 32, fields),
    );
  }
  return explainNode(
    "ISS2",
    55,
    32,
    iss2,
    iss2 === 0
      ? "No ISS2 fields for this exception class"
      : "RES0 for this exception class, but non-zero",
  );
}

/**
 * Dissects an ESR_ELx value into EC [31:26], IL [25], ISS [24:0] (with the fields of its exception
 * class) and ISS2 [55:32], each with what its value means. Bit ranges are counted in the whole ESR.
 * Bits 63:56 set → `VmExitError("reserved-encoding")`; a value that is not a u64 → `VmExitError`.
 */
export function explainEsr(esr: bigint | number): ExplainNode[] {
  const { lo, hi } = splitU64(esr, "esr", halves);
  if (hi >>> 24 !== 0) {
    throw new VmExitError(
      "reserved-encoding",
      `esr bits 63:56 are RES0, got esr = ${hex(joinU64(lo, hi))}`,
      "esr",
    );
  }
  const ec = lo >>> 26;
  const il = (lo >>> 25) & 1;
  const iss = lo & 0x1ff_ffff;
  return [
    explainNode("EC", 31, 26, ec, ecMeaning(ec)),
    explainNode("IL", 25, 25, il, IL_MEANINGS[il]),
    issNode(ec, iss),
    iss2Node(ec, hi),
  ];
}
