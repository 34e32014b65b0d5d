import type { Arch, CauseBase } from "./decoded";

/** Stands for a base property in a cause literal: a slot that `makeCause` fills. */
export const SLOT = undefined;

/**
 * Builds a cause: writes the base (`arch`, `code`, `name`, `class`) onto `fields`, the object
 * literal of the class's own fields, and returns it. The one place a cause's base is made, on
 * every architecture.
 *
 * `fields` must be a fresh object literal, and should declare the four base keys first as
 * `SLOT`s: then they stay first in key order and writing them only fills existing properties.
 * (Copying the fields into a new object — `Object.assign`, a spread — costs V8 10–50× the literal
 * for a cause of 20–30 fields, and adding properties a shared function has not seen declared
 * costs a hidden-class transition each, several times the literal when the function sees many
 * cause shapes.)
 * @example makeCause("aarch64", 0x01, "WFx", "wfx", { arch: SLOT, code: SLOT, name: SLOT, class: SLOT, ti: 0 })
 * // { arch: "aarch64", code: 1, name: "WFx", class: "wfx", ti: 0 }
 */
/* @__NO_SIDE_EFFECTS__ */
export function makeCause<A extends Arch, K extends string, F extends object>(
  arch: A,
  code: number,
  name: string,
  cls: K,
  fields: F,
): CauseBase<A, K> & Omit<F, keyof CauseBase> {
  const cause = fields as unknown as { arch: A; code: number; name: string; class: K };
  cause.arch = arch;
  cause.code = code;
  cause.name = name;
  cause.class = cls;
  return cause as CauseBase<A, K> & Omit<F, keyof CauseBase>;
}
