import type { CauseBase } from "./decoded";

/**
 * Makes a cause from its literal, written base first (`arch`, `code`, `name`, `class`, then the
 * class's own fields, every one of them present). The compiler checks the base against
 * `CauseBase`; at run time the literal is the cause, because an engine builds a literal in a few
 * nanoseconds where copying fields into a new object costs tens per property — and a decoder
 * makes one cause per exit.
 * @example makeCause({ arch: "riscv", code: 5, name: "IRQ_S_TIMER", class: "interrupt", platform: false })
 */
/* @__NO_SIDE_EFFECTS__ */
export function makeCause<const C extends CauseBase>(cause: C): C {
  return cause;
}
