import type { IsMmio } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { SBI_EID } from "./sbi";

/** Validated decode options. */
export interface ResolvedOptions {
  /** The hypercall EID (unsigned 32-bit). */
  readonly hypercallEid: number;
  /** The caller's MMIO test, if any. */
  readonly isMmio: IsMmio | undefined;
}

const DEFAULTS: ResolvedOptions = { hypercallEid: SBI_EID.HYPERCALL, isMmio: undefined };

/** Validates `hypercallEid`: an integer in 0…0xFFFFFFFF (absent → 0x485643). */
export function checkHypercallEid(v: unknown): number {
  if (v === undefined) return SBI_EID.HYPERCALL;
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff) return v;
  throw new VmExitError(
    typeof v === "number" && Number.isInteger(v) ? "out-of-range" : "invalid-argument",
    `hypercallEid must be an integer in 0…0xffffffff, got ${show(v)}`,
    "hypercallEid",
  );
}

/** Validates decode options (absent → defaults). */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== "object" || options === null) {
    throw new VmExitError(
      "invalid-argument",
      `options must be an object, got ${show(options)}`,
      "options",
    );
  }
  const o = options as { hypercallEid?: unknown; isMmio?: unknown };
  const isMmio = o.isMmio;
  if (isMmio !== undefined && typeof isMmio !== "function") {
    throw new VmExitError(
      "invalid-argument",
      `isMmio must be a function, got ${show(isMmio)}`,
      "isMmio",
    );
  }
  if (o.hypercallEid === undefined && isMmio === undefined) return DEFAULTS;
  return { hypercallEid: checkHypercallEid(o.hypercallEid), isMmio: isMmio as IsMmio | undefined };
}
