import type { Codec, SnapshotKey } from "../core/codec";
import type { RiscvCause } from "./cause";
import { decodeRiscv, decodeRiscvExit } from "./decode";
import { canEncodeRiscv, encodeRiscv } from "./encode";
import { explainRiscv, explainScause } from "./explain";
import { RISCV_DECODE_OPTIONS, RISCV_ENCODE_OPTIONS } from "./options";
import { RISCV_ABI_NAMES } from "./registers";
import type { RiscvDecodeOptions, RiscvEncodeOptions, RiscvSnapshot } from "./snapshot";

const RISCV_SNAPSHOT_KEYS: readonly SnapshotKey[] = [
  {
    key: "scause",
    aliases: [],
    path: ["scause"],
    value: { type: "u64" },
    required: true,
    help: "scause (interrupt bit XLEN−1, exception code)",
  },
  { key: "stval", aliases: [], path: ["stval"], value: { type: "u64" }, help: "stval" },
  { key: "htval", aliases: [], path: ["htval"], value: { type: "u64" }, help: "htval (GPA >> 2)" },
  { key: "htinst", aliases: [], path: ["htinst"], value: { type: "u64" }, help: "htinst" },
  {
    key: "instruction",
    aliases: ["insn"],
    path: ["instruction"],
    value: { type: "u32" },
    help: "raw guest instruction (when htinst/stval hold none)",
  },
  {
    key: "xlen",
    aliases: [],
    path: ["xlen"],
    value: { type: "choice", values: [32, 64] },
    help: "register width (default 64)",
  },
  ...Array.from(
    { length: 32 },
    (_, i): SnapshotKey => ({
      key: `x${i}`,
      aliases: i === 0 ? [] : [RISCV_ABI_NAMES[i] as string],
      path: ["x", i],
      value: { type: "u64" },
      help: `x${i} (${RISCV_ABI_NAMES[i]})`,
    }),
  ),
];

/** RISC-V H behind the codec interface (registry key `"riscv"`). */
export const riscvCodec: Codec<
  "riscv",
  RiscvSnapshot,
  RiscvCause,
  RiscvDecodeOptions,
  RiscvEncodeOptions
> = {
  arch: "riscv",
  title: "RISC-V H",
  names: ["riscv", "rv"],
  snapshotKeys: RISCV_SNAPSHOT_KEYS,
  decodeOptions: RISCV_DECODE_OPTIONS,
  encodeOptions: RISCV_ENCODE_OPTIONS,
  registers: {
    scause: {
      title: "scause",
      explain: (value, context) => explainScause(value, context?.xlen ?? 64),
    },
  },
  decode: decodeRiscv,
  decodeExit: decodeRiscvExit,
  encode: encodeRiscv,
  canEncode: canEncodeRiscv,
  explain: explainRiscv,
};
