import type { Arch, CauseBase } from "./decoded";

/**
 * Builds a cause: the base (`arch`, `code`, `name`, `class`) first, then the class's own fields.
 * The one place a cause object is made, on every architecture.
 */
/* @__NO_SIDE_EFFECTS__ */
export function makeCause<A extends Arch, K extends string, F extends object>(
  arch: A,
  code: number,
  name: string,
  cls: K,
  fields: F,
): CauseBase<A, K> & F {
  return Object.assign({ arch, code, name, class: cls }, fields);
}
