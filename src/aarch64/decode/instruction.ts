import { show, VmExitError } from "../../core/error";
import type { Aarch64Snapshot } from "../snapshot";

/**
 * The snapshot's A64 instruction word, `undefined` when absent. Not a non-negative integer →
 * `VmExitError("invalid-argument")`; an integer above 0xFFFFFFFF → `"out-of-range"` (the rule of
 * register values, and the same for decoding and explaining).
 */
export function instructionWord(s: Aarch64Snapshot): number | undefined {
  const word: unknown = s.instruction;
  if (word === undefined) return undefined;
  if (typeof word === "number" && word >= 0 && word <= 0xffff_ffff && Number.isInteger(word)) {
    return word;
  }
  if (typeof word !== "number" || !Number.isInteger(word) || word < 0) {
    throw new VmExitError(
      "invalid-argument",
      `instruction must be a 32-bit A64 instruction word (an integer in 0…0xffffffff), got ${show(word)}`,
      "instruction",
    );
  }
  throw new VmExitError(
    "out-of-range",
    `instruction must be in 0…0xffffffff, got ${show(word)}`,
    "instruction",
  );
}
