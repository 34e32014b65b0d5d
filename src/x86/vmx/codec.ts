import type { Codec, OptionSpec, SnapshotKey } from "../../core/codec";
import type { VmxCause } from "./cause";
import { decodeVmx } from "./decode";
import { canEncodeVmx, encodeVmx } from "./encode";
import { explainVmx } from "./explain";
import { VMX_EXIT_REASON_NAMES } from "./reasons";
import {
  type VmxDecodeOptions,
  type VmxEncodeOptions,
  type VmxSnapshot,
  X86_REG_NAMES,
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

const HYPERCALL_ABI: OptionSpec = {
  key: "hypercallAbi",
  cli: "abi",
  value: { type: "choice", values: ["axvisor", "kvm"] },
  help: "VMCALL register convention (default axvisor)",
};
const CPU_MODE: OptionSpec = {
  key: "cpuMode",
  cli: "cpu-mode",
  value: { type: "choice", values: [16, 32, 64] },
  help: "guest mode for MMIO instruction decode (default 64)",
};

/** Intel VMX behind the codec interface (registry key `"x86-vmx"`). */
export const vmxCodec: Codec<"x86-vmx", VmxSnapshot, VmxCause, VmxDecodeOptions, VmxEncodeOptions> =
  {
    arch: "x86-vmx",
    title: "Intel VMX",
    names: ["vmx", "x86"],
    snapshotKeys: VMX_SNAPSHOT_KEYS,
    decodeOptions: [
      HYPERCALL_ABI,
      CPU_MODE,
      {
        key: "apicBase",
        cli: "apic-base",
        value: { type: "u64" },
        help: "APIC page for APIC-access exits (default 0xfee00000)",
      },
      { key: "isMmio", value: { type: "function" }, help: "whether a GPA is emulated MMIO" },
    ],
    encodeOptions: [HYPERCALL_ABI, CPU_MODE],
    registers: {},
    decode: decodeVmx,
    decodeExit: (snapshot, options) => decodeVmx(snapshot, options).exit,
    encode: encodeVmx,
    canEncode: canEncodeVmx,
    explain: explainVmx,
  };
