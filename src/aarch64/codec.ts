import type { Codec, SnapshotKey } from "../core/codec";
import type { Aarch64Cause } from "./cause";
import { decodeAarch64, decodeAarch64Exit } from "./decode/decode";
import { canEncodeAarch64, encodeAarch64 } from "./encode";
import { explainEsr } from "./explain/esr";
import { explainAarch64 } from "./explain/snapshot";
import { AARCH64_DECODE_OPTIONS, AARCH64_ENCODE_OPTIONS } from "./options";
import type { Aarch64DecodeOptions, Aarch64EncodeOptions, Aarch64Snapshot } from "./snapshot";

const AARCH64_SNAPSHOT_KEYS: readonly SnapshotKey[] = [
  {
    key: "esr",
    aliases: [],
    path: ["esr"],
    value: { type: "u64" },
    required: true,
    help: "ESR_EL2 (64-bit, ISS2 in 55:32)",
  },
  { key: "far", aliases: [], path: ["far"], value: { type: "u64" }, help: "FAR_EL2" },
  { key: "hpfar", aliases: [], path: ["hpfar"], value: { type: "u64" }, help: "HPFAR_EL2" },
  {
    key: "exception",
    aliases: [],
    path: ["exception"],
    value: { type: "choice", values: ["sync", "irq", "fiq", "serror"] },
    help: "exception taken (default sync)",
  },
  {
    key: "irq",
    aliases: ["intid"],
    path: ["irq"],
    value: { type: "u64" },
    help: "INTID the host acknowledged (irq/fiq)",
  },
  {
    key: "instruction",
    aliases: ["insn"],
    path: ["instruction"],
    value: { type: "u32" },
    help: "A64 instruction word (for ISV = 0 aborts)",
  },
  ...Array.from(
    { length: 31 },
    (_, i): SnapshotKey => ({
      key: `x${i}`,
      aliases: [],
      path: ["x", i],
      value: { type: "u64" },
      help: `X${i}`,
    }),
  ),
];

/** AArch64 EL2 behind the codec interface (registry key `"aarch64"`). */
export const aarch64Codec: Codec<
  "aarch64",
  Aarch64Snapshot,
  Aarch64Cause,
  Aarch64DecodeOptions,
  Aarch64EncodeOptions
> = {
  arch: "aarch64",
  title: "AArch64",
  names: ["aarch64", "arm64"],
  snapshotKeys: AARCH64_SNAPSHOT_KEYS,
  decodeOptions: AARCH64_DECODE_OPTIONS,
  encodeOptions: AARCH64_ENCODE_OPTIONS,
  registers: { esr: { title: "ESR_EL2", explain: (value) => explainEsr(value) } },
  decode: decodeAarch64,
  decodeExit: decodeAarch64Exit,
  encode: encodeAarch64,
  canEncode: canEncodeAarch64,
  explain: explainAarch64,
};
