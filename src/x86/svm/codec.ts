import type { Codec, SnapshotKey } from "../../core/codec";
import { X86_REG_NAMES } from "../regs";
import type { SvmCause } from "./cause";
import { svmExitCodeByName } from "./codes";
import { decodeSvm, decodeSvmExit } from "./decode";
import { canEncodeSvm, encodeSvm } from "./encode";
import { explainSvm } from "./explain";
import {
  SVM_DECODE_OPTIONS,
  SVM_ENCODE_OPTIONS,
  type SvmDecodeOptions,
  type SvmEncodeOptions,
  type SvmSnapshot,
} from "./snapshot";
import { readSvmVmcb, SVM_VMCB_SIZE } from "./vmcb";

/** EXITCODE by name: the negative codes as the u64 the VMCB holds. */
function exitCodeByName(name: string): number | bigint | undefined {
  const code = svmExitCodeByName(name);
  return code === undefined || code >= 0 ? code : BigInt.asUintN(64, BigInt(code));
}

const SVM_SNAPSHOT_KEYS: readonly SnapshotKey[] = [
  {
    key: "exitCode",
    aliases: ["code"],
    path: ["exitCode"],
    value: { type: "named", bits: 64, lookup: exitCodeByName },
    required: true,
    help: "EXITCODE (number, or a name such as npf, EXIT_IOIO, VMEXIT_HLT)",
  },
  {
    key: "exitInfo1",
    aliases: ["info1"],
    path: ["exitInfo1"],
    value: { type: "u64" },
    help: "EXITINFO1",
  },
  {
    key: "exitInfo2",
    aliases: ["info2"],
    path: ["exitInfo2"],
    value: { type: "u64" },
    help: "EXITINFO2",
  },
  {
    key: "exitIntInfo",
    aliases: ["intinfo", "intrInfo"],
    path: ["exitIntInfo"],
    value: { type: "u32" },
    help: "EXITINTINFO (event being delivered)",
  },
  {
    key: "exitIntInfoErrorCode",
    aliases: ["intinfoErr", "errorCode"],
    path: ["exitIntInfoErrorCode"],
    value: { type: "u32" },
    help: "EXITINTINFO error code",
  },
  {
    key: "nextRip",
    aliases: ["nrip"],
    path: ["nextRip"],
    value: { type: "u64" },
    help: "NEXT_RIP",
  },
  {
    key: "instructionBytes",
    aliases: ["bytes"],
    path: ["instructionBytes"],
    value: { type: "bytes" },
    help: "decode-assist instruction bytes (hex)",
  },
  {
    key: "interruptVector",
    aliases: ["vector"],
    path: ["interruptVector"],
    value: { type: "u32" },
    help: "vector the host acknowledged (INTR exits)",
  },
  {
    key: "ghcbGpa",
    aliases: ["ghcb"],
    path: ["ghcbGpa"],
    value: { type: "u64" },
    help: "GHCB GPA / GHCB MSR (VMGEXIT)",
  },
  ...[...X86_REG_NAMES, "rip" as const].map(
    (r): SnapshotKey => ({
      key: r,
      aliases: [],
      path: ["regs", r],
      value: { type: "u64" },
      help: r.toUpperCase(),
    }),
  ),
];

/** AMD SVM behind the codec interface (registry key `"x86-svm"`). */
export const svmCodec: Codec<"x86-svm", SvmSnapshot, SvmCause, SvmDecodeOptions, SvmEncodeOptions> =
  {
    arch: "x86-svm",
    title: "AMD SVM",
    names: ["svm", "amd"],
    snapshotKeys: SVM_SNAPSHOT_KEYS,
    decodeOptions: SVM_DECODE_OPTIONS,
    encodeOptions: SVM_ENCODE_OPTIONS,
    registers: {},
    statePage: {
      flag: "vmcb",
      title: "VMCB",
      size: SVM_VMCB_SIZE,
      read: (page) => readSvmVmcb(page),
    },
    decode: decodeSvm,
    decodeExit: decodeSvmExit,
    encode: encodeSvm,
    canEncode: canEncodeSvm,
    explain: explainSvm,
  };
