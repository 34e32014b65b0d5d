import { makeCause } from "../../core/cause";
import { VmExitError } from "../../core/error";
import { toU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import type { Aarch64Snapshot } from "../snapshot";
import type { ClassResult } from "./cause";
import { checkRegister } from "./regs";

/**
 * An IRQ or FIQ → `ExternalInterrupt { vector: irq }`. ESR_EL2 is not updated for interrupts, so
 * its content is not read (only checked to be a register value when supplied); the cause has
 * code 0 and name `IRQ` / `FIQ`, as Linux's `kvm_exit` prints non-trap exits.
 */
export function decodeInterrupt(
  s: Aarch64Snapshot,
  exception: "irq" | "fiq",
  withCause: boolean,
): ClassResult {
  if (s.irq === undefined) {
    throw new VmExitError(
      "missing-register",
      `irq (the acknowledged INTID) is needed for an ${exception} exit`,
      "irq",
    );
  }
  const intid = toU64(s.irq, "irq");
  checkRegister(s.esr, "esr");
  const exit = unchecked.externalInterrupt(intid);
  if (!withCause) return exit;
  const name = exception === "irq" ? "IRQ" : "FIQ";
  return {
    exit,
    cause: makeCause({ arch: "aarch64", code: 0, name, class: "interrupt", exception, intid }),
  };
}
