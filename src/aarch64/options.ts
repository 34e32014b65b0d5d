import type { OptionSpec } from "../core/codec";

/** The options `decodeAarch64`, `decodeAarch64Exit` and `explainAarch64` accept, as data. */
export const AARCH64_DECODE_OPTIONS: readonly OptionSpec[] = [
  {
    key: "isMmio",
    value: { type: "function" },
    help: "whether an IPA is emulated MMIO",
  },
];

/** The options `encodeAarch64` and `canEncodeAarch64` accept: none. */
export const AARCH64_ENCODE_OPTIONS: readonly OptionSpec[] = [];
