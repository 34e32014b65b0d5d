import type { Arch, CauseBase } from "./decoded";

/**
 * Builds a cause: the base (`arch`, `code`, `name`, `class`) first, then the class's own fields.
 * The one place a cause object is made, on every architecture. Two forms: the five-argument one
 * copies `fields` after the base; the one-argument one takes the whole cause written as one
 * object literal, base first, and returns it: the form for hot decoders, since an engine builds
 * a literal in a few nanoseconds while copying costs tens per property.
 * @example makeCause({ arch: "riscv", code: 5, name: "IRQ_S_TIMER", class: "interrupt", platform: false })
 */
export function makeCause<A extends Arch, K extends string, F extends object>(
  arch: A,
  code: number,
  name: string,
  cls: K,
  fields: F,
): CauseBase<A, K> & F;
export function makeCause<const C extends CauseBase>(cause: C): C;
/* @__NO_SIDE_EFFECTS__ */
export function makeCause(
  arch: Arch | CauseBase,
  code?: number,
  name?: string,
  cls?: string,
  fields?: object,
): CauseBase {
  if (typeof arch === "object") return arch;
  return Object.assign(
    { arch, code: code as number, name: name as string, class: cls as string },
    fields,
  );
}
