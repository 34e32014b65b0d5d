import type { Arch, CauseBase } from "./decoded";

/**
 * Builds a cause: writes the base (`arch`, `code`, `name`, `class`) onto `fields`, the class's own
 * fields, and returns it. The one place a cause's base is made, on every architecture.
 *
 * `fields` must be a fresh object literal: it becomes the cause. Writing four properties onto it
 * costs what building the literal costs, where copying it into a new object (`Object.assign`, a
 * spread) costs 10–50× more in V8 for a cause of 20–30 fields; so the base comes after the class's
 * fields in key order.
 * @example makeCause("aarch64", 0x01, "WFx", "wfx", { ti: 0 }) // { ti: 0, arch: "aarch64", code: 1, name: "WFx", class: "wfx" }
 */
/* @__NO_SIDE_EFFECTS__ */
export function makeCause<A extends Arch, K extends string, F extends object>(
  arch: A,
  code: number,
  name: string,
  cls: K,
  fields: F,
): CauseBase<A, K> & F {
  const cause = fields as F & { arch: A; code: number; name: string; class: K };
  cause.arch = arch;
  cause.code = code;
  cause.name = name;
  cause.class = cls;
  return cause;
}
