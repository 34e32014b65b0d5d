import { type ExplainNode, explainNode } from "../../core/explain";
import { formatMappingFlags } from "../../core/scalars/mapping-flags";
import { hex, toU64 } from "../../core/u64";
import { X86_ICR_DELIVERY_MODES, X86_ICR_SHORTHANDS, X86_X2APIC_ICR_MSR } from "../icr";
import { checkSnapshot, optionalField32 } from "../regs";
import { VMX_INTERRUPTION_TYPES, X86_EXCEPTION_NAMES } from "./interruption";
import { APIC_ACCESS_TYPES, ENTRY_FAIL_MEANINGS } from "./qualification";
import { VMX_EXIT_REASON_NAMES, VmxExitReason } from "./reasons";
import { type VmxSnapshot, X86_REG_NAMES } from "./snapshot";

/** One field of a register layout: name, bit range and either value names or a meaning function. */
type FieldSpec = readonly [
  name: string,
  hi: number,
  lo: number,
  meaning?: readonly (string | undefined)[] | ((v: bigint) => string | undefined),
];

const FLAG: readonly string[] = ["no", "yes"];
const GPR = (v: bigint): string => X86_REG_NAMES[Number(v)] as string;

const IO_LAYOUT: readonly FieldSpec[] = [
  [
    "Size of access",
    2,
    0,
    ["1 byte", "2 bytes", "reserved", "4 bytes", "reserved", "reserved", "reserved", "reserved"],
  ],
  ["Direction", 3, 3, ["OUT", "IN"]],
  ["String instruction", 4, 4, FLAG],
  ["REP prefixed", 5, 5, FLAG],
  ["Operand encoding", 6, 6, ["port in DX", "immediate port"]],
  ["Port number", 31, 16],
];

const CR_LAYOUT: readonly FieldSpec[] = [
  ["Control register", 3, 0, (v) => `CR${v}`],
  ["Access type", 5, 4, ["MOV to CR", "MOV from CR", "CLTS", "LMSW"]],
  ["LMSW operand type", 6, 6, ["register", "memory"]],
  ["General-purpose register", 11, 8, GPR],
  ["LMSW source data", 31, 16],
];

const DR_LAYOUT: readonly FieldSpec[] = [
  ["Debug register", 2, 0, (v) => `DR${v}`],
  ["Direction", 4, 4, ["MOV to DR", "MOV from DR"]],
  ["General-purpose register", 11, 8, GPR],
];

const EPT_VIOLATION_LAYOUT: readonly FieldSpec[] = [
  ["Data read", 0, 0, FLAG],
  ["Data write", 1, 1, FLAG],
  ["Instruction fetch", 2, 2, FLAG],
  ["GPA readable", 3, 3, FLAG],
  ["GPA writable", 4, 4, FLAG],
  ["GPA executable", 5, 5, FLAG],
  ["GPA user-mode executable", 6, 6, FLAG],
  ["Guest linear address valid", 7, 7, FLAG],
  [
    "Linear-address translation",
    8,
    8,
    ["access to a paging-structure entry", "access to the final translation"],
  ],
  ["User-mode linear address", 9, 9, FLAG],
  ["Linear address read/write", 10, 10, FLAG],
  ["Linear address execute-disable", 11, 11, FLAG],
  ["NMI unblocking due to IRET", 12, 12, FLAG],
];

const APIC_ACCESS_LAYOUT: readonly FieldSpec[] = [
  ["Offset", 11, 0],
  ["Access type", 15, 12, APIC_ACCESS_TYPES],
  ["Asynchronous", 16, 16, FLAG],
];

const TASK_SWITCH_LAYOUT: readonly FieldSpec[] = [
  ["TSS selector", 15, 0],
  ["Source", 31, 30, ["CALL", "IRET", "JMP", "task gate in the IDT"]],
];

const DEBUG_LAYOUT: readonly FieldSpec[] = [
  [
    "B0-B3",
    3,
    0,
    (v) =>
      v === 0n
        ? "no breakpoint"
        : `breakpoints hit: ${[0, 1, 2, 3]
            .filter((b) => (v >> BigInt(b)) & 1n)
            .map((b) => `DR${b}`)
            .join(", ")}`,
  ],
  ["BD", 13, 13, ["no", "debug-register access detected"]],
  ["BS", 14, 14, ["no", "single step"]],
  ["RTM", 16, 16, FLAG],
];

const INTERRUPTION_LAYOUT = (errorCodeMeaning: string): readonly FieldSpec[] => [
  ["Vector", 7, 0],
  ["Interruption type", 10, 8, VMX_INTERRUPTION_TYPES],
  ["Error code valid", 11, 11, ["no", errorCodeMeaning]],
  ["NMI unblocking due to IRET", 12, 12, FLAG],
  ["Valid", 31, 31, FLAG],
];

const ICR_LAYOUT: readonly FieldSpec[] = [
  ["Vector", 7, 0],
  ["Delivery mode", 10, 8, X86_ICR_DELIVERY_MODES],
  ["Destination mode", 11, 11, ["physical", "logical"]],
  ["Level", 14, 14, ["de-assert", "assert"]],
  ["Trigger mode", 15, 15, ["edge", "level"]],
  ["Destination shorthand", 19, 18, X86_ICR_SHORTHANDS],
  ["Destination", 63, 32],
];

/** Qualification layouts indexed by basic exit reason (`undefined`: no layout of its own). */
const QUALIFICATION_LAYOUTS: (readonly FieldSpec[] | undefined)[] = [];
QUALIFICATION_LAYOUTS[VmxExitReason.TASK_SWITCH] = TASK_SWITCH_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.INVLPG] = [["Linear address", 63, 0]];
QUALIFICATION_LAYOUTS[VmxExitReason.CR_ACCESS] = CR_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.DR_ACCESS] = DR_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.IO_INSTRUCTION] = IO_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.INVALID_STATE] = [
  ["Entry failure code", 63, 0, ENTRY_FAIL_MEANINGS],
];
QUALIFICATION_LAYOUTS[VmxExitReason.MSR_LOAD_FAIL] = [["Failing MSR-load entry (1-based)", 63, 0]];
QUALIFICATION_LAYOUTS[VmxExitReason.APIC_ACCESS] = APIC_ACCESS_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.EOI_INDUCED] = [["Vector", 7, 0]];
QUALIFICATION_LAYOUTS[VmxExitReason.EPT_VIOLATION] = EPT_VIOLATION_LAYOUT;
QUALIFICATION_LAYOUTS[VmxExitReason.APIC_WRITE] = [["Offset", 11, 0]];
QUALIFICATION_LAYOUTS[VmxExitReason.NOTIFY] = [
  ["VM context invalid", 0, 0, FLAG],
  ["NMI unblocking due to IRET", 12, 12, FLAG],
];
QUALIFICATION_LAYOUTS[VmxExitReason.MSR_READ_IMM] = [["MSR index", 31, 0]];
QUALIFICATION_LAYOUTS[VmxExitReason.MSR_WRITE_IMM] = [["MSR index", 31, 0]];

function field(v: bigint, hi: number, lo: number): bigint {
  return (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
}

function explainFields(v: bigint, layout: readonly FieldSpec[]): ExplainNode[] {
  return layout.map(([name, hi, lo, meaning]) => {
    const value = field(v, hi, lo);
    const text =
      meaning === undefined
        ? undefined
        : typeof meaning === "function"
          ? meaning(value)
          : meaning[Number(value)];
    return explainNode(name, hi, lo, value, text);
  });
}

function exitReasonNode(exitReason: number): ExplainNode {
  const basic = exitReason & 0xffff;
  const name = VMX_EXIT_REASON_NAMES[basic];
  const v = BigInt(exitReason);
  const children = [
    explainNode("Basic exit reason", 15, 0, basic, name ?? "undefined exit reason"),
    ...explainFields(v, [
      ["Bus lock detected", 26, 26, FLAG],
      ["Enclave mode", 27, 27, FLAG],
      ["Pending MTF VM exit", 28, 28, FLAG],
      ["VM exit from VMX root operation", 29, 29, FLAG],
      ["VM-entry failure", 31, 31, FLAG],
    ]),
  ];
  const reserved = exitReason & 0x43ff_0000;
  if (reserved !== 0)
    children.push(explainNode("Reserved", 30, 16, reserved >>> 16, "must be 0 (bits 30, 25:16)"));
  const failed = exitReason >>> 31 === 1 ? " FAILED_VMENTRY" : "";
  return explainNode("Exit reason", 31, 0, v, `${name ?? hex(basic)}${failed}`, children);
}

function qualificationLayout(
  basic: number,
  info: number | undefined,
): readonly FieldSpec[] | undefined {
  if (basic === VmxExitReason.EXCEPTION_NMI && info !== undefined && info >>> 31 === 1) {
    // the same rule as decodeVmx: #PF is a hardware exception (type 3); #DB is type 3 or 5 (INT1)
    const vector = info & 0xff;
    const type = (info >>> 8) & 7;
    if (vector === 14 && type === 3) return [["Faulting linear address", 63, 0]];
    if (vector === 1 && (type === 3 || type === 5)) return DEBUG_LAYOUT;
  }
  return QUALIFICATION_LAYOUTS[basic];
}

function interruptionNode(name: string, raw: number, errorCodeMeaning: string): ExplainNode {
  const type = (raw >>> 8) & 7;
  const vector = raw & 0xff;
  const exception =
    type === 2 || type === 3 || type === 5 || type === 6 ? X86_EXCEPTION_NAMES[vector] : undefined;
  const valid = raw >>> 31 === 1;
  const meaning = valid
    ? `${VMX_INTERRUPTION_TYPES[type]}, vector ${vector}${exception === undefined ? "" : ` (${exception})`}`
    : "not valid";
  return explainNode(
    name,
    31,
    0,
    raw,
    meaning,
    explainFields(BigInt(raw), INTERRUPTION_LAYOUT(errorCodeMeaning)),
  );
}

/** Explains a VMX snapshot as field trees: exit reason, qualification, interruption and IDT-vectoring information. */
export function explainVmx(snapshot: VmxSnapshot): ExplainNode[] {
  const exitReason = checkSnapshot(snapshot);
  const basic = exitReason & 0xffff;
  const nodes: ExplainNode[] = [exitReasonNode(exitReason)];
  const info = optionalField32(snapshot.exitInterruptionInfo, "exitInterruptionInfo");
  if (snapshot.exitQualification !== undefined) {
    const q = toU64(snapshot.exitQualification, "exitQualification");
    const layout = qualificationLayout(basic, info);
    nodes.push(
      explainNode(
        "Exit qualification",
        63,
        0,
        q,
        basic === VmxExitReason.EPT_VIOLATION
          ? `access ${formatMappingFlags(Number(q & 7n))}`
          : undefined,
        layout === undefined ? undefined : explainFields(q, layout),
      ),
    );
  }
  if (snapshot.guestPhysicalAddress !== undefined) {
    nodes.push(
      explainNode(
        "Guest-physical address",
        63,
        0,
        toU64(snapshot.guestPhysicalAddress, "guestPhysicalAddress"),
      ),
    );
  }
  if (snapshot.guestLinearAddress !== undefined) {
    nodes.push(
      explainNode(
        "Guest linear address",
        63,
        0,
        toU64(snapshot.guestLinearAddress, "guestLinearAddress"),
      ),
    );
  }
  if (info !== undefined) {
    nodes.push(
      interruptionNode("VM-exit interruption information", info, "error code in VMCS 0x4406"),
    );
  }
  const idt = optionalField32(snapshot.idtVectoringInfo, "idtVectoringInfo");
  if (idt !== undefined) {
    nodes.push(interruptionNode("IDT-vectoring information", idt, "error code in VMCS 0x440A"));
  }
  const length = optionalField32(snapshot.instructionLength, "instructionLength");
  if (length !== undefined) {
    nodes.push(
      explainNode(
        "VM-exit instruction length",
        31,
        0,
        length,
        length === 1 ? "1 byte" : `${length} bytes`,
      ),
    );
  }
  const instructionInfo = optionalField32(snapshot.instructionInfo, "instructionInfo");
  if (instructionInfo !== undefined) {
    // the layout depends on the exit reason; Linux reads reg1 from bits 6:3 and reg2 from 31:28
    nodes.push(explainNode("VM-exit instruction information", 31, 0, instructionInfo));
  }
  if (basic === VmxExitReason.MSR_WRITE && snapshot.regs?.rcx !== undefined) {
    const ecx = Number(toU64(snapshot.regs.rcx, "regs.rcx") & 0xffff_ffffn);
    if (
      ecx === X86_X2APIC_ICR_MSR &&
      snapshot.regs.rax !== undefined &&
      snapshot.regs.rdx !== undefined
    ) {
      const icr =
        ((toU64(snapshot.regs.rdx, "regs.rdx") & 0xffff_ffffn) << 32n) |
        (toU64(snapshot.regs.rax, "regs.rax") & 0xffff_ffffn);
      nodes.push(
        explainNode("x2APIC ICR (EDX:EAX)", 63, 0, icr, undefined, explainFields(icr, ICR_LAYOUT)),
      );
    }
  }
  return nodes;
}
