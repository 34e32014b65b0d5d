// explainVmx: the field trees of the VMCS fields a VMX exit has, from the same layouts the
// decoder reads. It first runs the decoder (without the cause) so that it rejects what decodeVmx
// rejects with the same error, and it shows exactly the fields the decoder reads for the exit's
// class, so that it accepts what decodeVmx accepts. A missing register stops a decode but not the
// explanation of the registers that are there.
import { VmExitError } from "../../core/error";
import { type ExplainNode, explainNode } from "../../core/explain";
import { type BitField, bits, explainRegister, type Halves, isSet } from "../../core/layout";
import { formatMappingFlags } from "../../core/scalars/mapping-flags";
import { splitU64, toU64, type U64Halves } from "../../core/u64";
import { X86_ICR_LAYOUT, X86_X2APIC_ICR_MSR } from "../icr";
import { reg32 } from "../regs";
import type { VmxCauseClass } from "./cause";
import { decodeVmxExit, vmxCauseClassOf } from "./decode";
import {
  INTR_TYPE,
  INTR_VALID,
  INTR_VECTOR,
  interruptionException,
  VMX_EXIT_INTERRUPTION_LAYOUT,
  VMX_IDT_VECTORING_LAYOUT,
  VMX_INTERRUPTION_TYPES,
} from "./interruption";
import { EPT_ACCESS, IO_STRING, vmxQualificationLayout } from "./qualification";
import {
  EXIT_REASON_BASIC,
  EXIT_REASON_FAILED_VMENTRY,
  VMX_EXIT_REASON_LAYOUT,
  VMX_EXIT_REASON_NAMES,
  VmxExitReason,
} from "./reasons";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** The VMCS fields a class's decoder reads, besides the exit reason (and the registers). */
interface Reads {
  readonly qualification: boolean;
  readonly interruption: boolean;
  readonly idtVectoring: boolean;
  readonly gpa: boolean;
  readonly gla: boolean;
}

const reads = (
  qualification: boolean,
  interruption: boolean,
  idtVectoring: boolean,
  gpa = false,
  gla = false,
): Reads => ({ qualification, interruption, idtVectoring, gpa, gla });

/** What each class's decoder reads (decode.ts, decode-memory.ts); explainVmx shows just those. */
const READS: Readonly<Record<VmxCauseClass, Reads>> = {
  "exception-nmi": reads(true, true, true),
  "external-interrupt": reads(false, true, false),
  "task-switch": reads(true, false, true),
  invlpg: reads(true, false, false),
  vmcall: reads(false, false, false),
  "cr-access": reads(true, false, false),
  "dr-access": reads(true, false, false),
  // the guest linear address only for INS / OUTS
  io: reads(true, false, false, false, true),
  msr: reads(false, false, false),
  "entry-failure": reads(true, false, false),
  "apic-access": reads(true, false, true),
  "eoi-induced": reads(true, false, false),
  "apic-write": reads(true, false, false),
  "ept-violation": reads(true, false, true, true, true),
  "ept-misconfig": reads(false, false, true, true),
  other: reads(true, false, true),
};

const halves = (lo: number, hi = 0): Halves => ({ lo, hi });

function interruptionNode(name: string, raw: number, layout: readonly BitField[]): ExplainNode {
  const exception = interruptionException(raw);
  const meaning = isSet(INTR_VALID, raw)
    ? `${VMX_INTERRUPTION_TYPES[bits(INTR_TYPE, raw)]}, vector ${bits(INTR_VECTOR, raw)}${exception === undefined ? "" : ` (${exception})`}`
    : "not valid";
  return explainRegister(name, 32, halves(raw), layout, meaning);
}

/**
 * Explains a VMX snapshot as field trees: the exit reason and the VMCS fields its exit class has
 * (the qualification by reason, the guest-physical and linear addresses, the interruption and
 * IDT-vectoring information), and the x2APIC ICR of a WRMSR 0x830.
 * @example formatExplain(explainVmx({ exitReason: 30, exitQualification: 0x3f80000 }))
 */
export function explainVmx(snapshot: VmxSnapshot, options?: VmxDecodeOptions): ExplainNode[] {
  try {
    decodeVmxExit(snapshot, options);
  } catch (e) {
    if (!(e instanceof VmExitError && e.code === "missing-register" && e.field !== "exitReason")) {
      throw e;
    }
  }
  // the decoder checked every field read below
  const exitReason = snapshot.exitReason;
  const basic = bits(EXIT_REASON_BASIC, exitReason);
  const read = READS[vmxCauseClassOf(exitReason)];
  const failed = isSet(EXIT_REASON_FAILED_VMENTRY, exitReason) ? " FAILED_VMENTRY" : "";
  const nodes: ExplainNode[] = [
    explainRegister(
      "Exit reason",
      32,
      halves(exitReason),
      VMX_EXIT_REASON_LAYOUT,
      `${VMX_EXIT_REASON_NAMES[basic]}${failed}`,
    ),
  ];
  const info = read.interruption ? snapshot.exitInterruptionInfo : undefined;
  const q = snapshot.exitQualification;
  const h: U64Halves = { lo: 0, hi: 0 };
  if (read.qualification && q !== undefined) {
    splitU64(q, "exitQualification", h);
    nodes.push(
      explainRegister(
        "Exit qualification",
        64,
        h,
        vmxQualificationLayout(basic, info) ?? [],
        basic === VmxExitReason.EPT_VIOLATION
          ? `access ${formatMappingFlags(bits(EPT_ACCESS, h.lo))}`
          : undefined,
      ),
    );
  }
  if (read.gpa && snapshot.guestPhysicalAddress !== undefined) {
    const gpa = toU64(snapshot.guestPhysicalAddress, "guestPhysicalAddress");
    nodes.push(explainNode("Guest-physical address", 63, 0, gpa));
  }
  const gla = snapshot.guestLinearAddress;
  const ioString = basic === VmxExitReason.IO_INSTRUCTION && isSet(IO_STRING, h.lo);
  if (read.gla && gla !== undefined && (basic !== VmxExitReason.IO_INSTRUCTION || ioString)) {
    nodes.push(explainNode("Guest linear address", 63, 0, toU64(gla, "guestLinearAddress")));
  }
  if (info !== undefined) {
    nodes.push(
      interruptionNode("VM-exit interruption information", info, VMX_EXIT_INTERRUPTION_LAYOUT),
    );
  }
  const idt = read.idtVectoring ? snapshot.idtVectoringInfo : undefined;
  if (idt !== undefined) {
    nodes.push(interruptionNode("IDT-vectoring information", idt, VMX_IDT_VECTORING_LAYOUT));
  }
  const regs = snapshot.regs;
  if (
    basic === VmxExitReason.MSR_WRITE &&
    read === READS.msr &&
    regs?.rcx !== undefined &&
    regs.rax !== undefined &&
    regs.rdx !== undefined &&
    reg32(regs, "rcx", "MSR_WRITE") === X86_X2APIC_ICR_MSR
  ) {
    const eax = reg32(regs, "rax", "MSR_WRITE");
    const edx = reg32(regs, "rdx", "MSR_WRITE");
    nodes.push(explainRegister("x2APIC ICR (EDX:EAX)", 64, halves(eax, edx), X86_ICR_LAYOUT));
  }
  return nodes;
}
