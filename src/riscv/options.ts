import type { OptionSpec } from "../core/codec";
import type { IsMmio } from "../core/decoded";
import { checkOptions } from "../core/options";
import { SBI_EID } from "./sbi/sbi";
import type { RiscvDecodeOptions, RiscvEncodeOptions } from "./snapshot";

const HYPERCALL_EID: OptionSpec = {
  key: "hypercallEid",
  cli: "hypercall-eid",
  value: { type: "u32" },
  help: "SBI extension treated as the hypercall extension (default 0x485643)",
};

/** The options of `decodeRiscv`, `decodeRiscvExit` and `explainRiscv`, as data. */
export const RISCV_DECODE_OPTIONS: readonly OptionSpec[] = [
  HYPERCALL_EID,
  { key: "isMmio", value: { type: "function" }, help: "whether a GPA is emulated MMIO" },
];

/** The options of `encodeRiscv` and `canEncodeRiscv`, as data. */
export const RISCV_ENCODE_OPTIONS: readonly OptionSpec[] = [HYPERCALL_EID];

/** Decode options, checked, with the defaults filled in. */
export interface ResolvedOptions {
  /** The hypercall EID (unsigned 32-bit). */
  readonly hypercallEid: number;
  /** The caller's MMIO test, if any. */
  readonly isMmio: IsMmio | undefined;
}

const DEFAULTS: ResolvedOptions = { hypercallEid: SBI_EID.HYPERCALL, isMmio: undefined };

/** Checks decode options (`VmExitError` naming `options.<key>`) and fills in the defaults. */
export function resolveDecodeOptions(options: RiscvDecodeOptions | undefined): ResolvedOptions {
  if (options === undefined) return DEFAULTS;
  checkOptions(options, RISCV_DECODE_OPTIONS);
  return {
    hypercallEid: options.hypercallEid ?? SBI_EID.HYPERCALL,
    isMmio: options.isMmio,
  };
}

/** Checks encode options (`VmExitError` naming `options.<key>`) and returns the hypercall EID. */
export function resolveEncodeOptions(options: RiscvEncodeOptions | undefined): number {
  if (options === undefined) return SBI_EID.HYPERCALL;
  checkOptions(options, RISCV_ENCODE_OPTIONS);
  return options.hypercallEid ?? SBI_EID.HYPERCALL;
}
