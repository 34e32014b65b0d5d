import type { Codec, OptionSpec, SnapshotKey } from "../core/codec";
import { decodeRiscv } from "./decode";
import { canEncodeRiscv, encodeRiscv } from "./encode";
import { explainRiscv, explainScause } from "./explain";
import { RISCV_ABI_NAMES } from "./registers";
import type { RiscvCause, RiscvDecodeOptions, RiscvEncodeOptions, RiscvSnapshot } from "./types";

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

const HYPERCALL_EID: OptionSpec = {
  key: "hypercallEid",
  cli: "hypercall-eid",
  value: { type: "u32" },
  help: "SBI extension treated as the hypercall extension (default 0x485643)",
};

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
  decodeOptions: [
    HYPERCALL_EID,
    { key: "isMmio", value: { type: "function" }, help: "whether a GPA is emulated MMIO" },
  ],
  encodeOptions: [HYPERCALL_EID],
  registers: {
    scause: {
      title: "scause",
      explain: (value, context) => explainScause(value, context?.xlen ?? 64),
    },
  },
  decode: decodeRiscv,
  decodeExit: (snapshot, options) => decodeRiscv(snapshot, options).exit,
  encode: encodeRiscv,
  canEncode: canEncodeRiscv,
  explain: (snapshot) => explainRiscv(snapshot),
};
