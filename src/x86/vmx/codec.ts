import type { Codec, SnapshotKey } from "../../core/codec";
import { X86_REG_NAMES } from "../regs";
import type { VmxCause } from "./cause";
import { decodeVmx, decodeVmxExit } from "./decode";
import { canEncodeVmx, encodeVmx } from "./encode";
import { explainVmx } from "./explain";
import { VMX_EXIT_REASON_NAMES } from "./reasons";
import {
  VMX_DECODE_OPTIONS,
  VMX_ENCODE_OPTIONS,
  type VmxDecodeOptions,
  type VmxEncodeOptions,
  type VmxSnapshot,
} from "./snapshot";

/** Basic reason by name, with the name Linux printed for reason 7 before 5.7 (`PENDING_INTERRUPT`). */
function vmxReasonByName(name: string): number | undefined {
  const upper = name.toUpperCase();
  if (upper === "PENDING_INTERRUPT") return 7;
  const i = VMX_EXIT_REASON_NAMES.indexOf(upper);
  return i >= 0 ? i : undefined;
}

const VMX_SNAPSHOT_KEYS: readonly SnapshotKey[] = [
  {
    key: "exitReason",
    aliases: ["reason"],
    path: ["exitReason"],
    value: { type: "named", bits: 32, lookup: vmxReasonByName },
    required: true,
    help: "full 32-bit exit reason (number, or a name such as HLT)",
  },
  {
    key: "exitQualification",
    aliases: ["qual", "qualification"],
    path: ["exitQualification"],
    value: { type: "u64" },
    help: "exit qualification",
  },
  {
    key: "guestPhysicalAddress",
    aliases: ["gpa"],
    path: ["guestPhysicalAddress"],
    value: { type: "u64" },
    help: "guest-physical address (EPT exits)",
  },
  {
    key: "guestLinearAddress",
    aliases: ["gla"],
    path: ["guestLinearAddress"],
    value: { type: "u64" },
    help: "guest linear address",
  },
  {
    key: "exitInterruptionInfo",
    aliases: ["intr", "intrInfo"],
    path: ["exitInterruptionInfo"],
    value: { type: "u32" },
    help: "VM-exit interruption information",
  },
  {
    key: "exitInterruptionErrorCode",
    aliases: ["errorCode"],
    path: ["exitInterruptionErrorCode"],
    value: { type: "u32" },
    help: "VM-exit interruption error code",
  },
  {
    key: "idtVectoringInfo",
    aliases: ["idt", "idtInfo"],
    path: ["idtVectoringInfo"],
    value: { type: "u32" },
    help: "IDT-vectoring information",
  },
  {
    key: "instructionLength",
    aliases: ["len", "length"],
    path: ["instructionLength"],
    value: { type: "u32" },
    help: "VM-exit instruction length",
  },
  {
    key: "instructionInfo",
    aliases: ["insnInfo"],
    path: ["instructionInfo"],
    value: { type: "u32" },
    help: "VM-exit instruction information",
  },
  {
    key: "instructionBytes",
    aliases: ["bytes"],
    path: ["instructionBytes"],
    value: { type: "bytes" },
    help: "guest instruction bytes at RIP (hex)",
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

/** Intel VMX behind the codec interface (registry key `"x86-vmx"`). */
export const vmxCodec: Codec<"x86-vmx", VmxSnapshot, VmxCause, VmxDecodeOptions, VmxEncodeOptions> =
  {
    arch: "x86-vmx",
    title: "Intel VMX",
    names: ["vmx", "x86"],
    snapshotKeys: VMX_SNAPSHOT_KEYS,
    decodeOptions: VMX_DECODE_OPTIONS,
    encodeOptions: VMX_ENCODE_OPTIONS,
    registers: {},
    decode: decodeVmx,
    decodeExit: decodeVmxExit,
    encode: encodeVmx,
    canEncode: canEncodeVmx,
    explain: explainVmx,
  };
