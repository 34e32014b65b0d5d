// explainVmx: the field trees of every register in a VMX snapshot, from the same layouts the
// decoder reads. It first runs the decoder (without the cause) so that it accepts exactly what
// decodeVmx accepts and rejects bad values with the same error; a missing register stops a
// decode but not the explanation of the registers that are there.
import { VmExitError } from "../../core/error";
import { type ExplainNode, explainNode } from "../../core/explain";
import { type BitField, bits, explainRegister, type Halves, isSet } from "../../core/layout";
import { formatMappingFlags } from "../../core/scalars/mapping-flags";
import { splitU64, toU64, type U64Halves } from "../../core/u64";
import { X86_ICR_LAYOUT, X86_X2APIC_ICR_MSR } from "../icr";
import { reg32 } from "../regs";
import { decodeVmxExit } from "./decode";
import {
  INTR_TYPE,
  INTR_VALID,
  INTR_VECTOR,
  interruptionException,
  VMX_EXIT_INTERRUPTION_LAYOUT,
  VMX_IDT_VECTORING_LAYOUT,
  VMX_INTERRUPTION_TYPES,
} from "./interruption";
import { EPT_ACCESS, vmxQualificationLayout } from "./qualification";
import {
  EXIT_REASON_BASIC,
  EXIT_REASON_FAILED_VMENTRY,
  VMX_EXIT_REASON_LAYOUT,
  VMX_EXIT_REASON_NAMES,
  VmxExitReason,
} from "./reasons";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

const halves = (lo: number, hi = 0): Halves => ({ lo, hi });

function interruptionNode(name: string, raw: number, layout: readonly BitField[]): ExplainNode {
  const exception = interruptionException(raw);
  const meaning = isSet(INTR_VALID, raw)
    ? `${VMX_INTERRUPTION_TYPES[bits(INTR_TYPE, raw)]}, vector ${bits(INTR_VECTOR, raw)}${exception === undefined ? "" : ` (${exception})`}`
    : "not valid";
  return explainRegister(name, 32, halves(raw), layout, meaning);
}

function whole(name: string, value: bigint): ExplainNode {
  return explainNode(name, 63, 0, value);
}

/**
 * Explains a VMX snapshot as field trees: the exit reason, the qualification (by reason), the
 * addresses, the interruption and IDT-vectoring information, the instruction length and
 * information, and the x2APIC ICR of a WRMSR 0x830.
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
  const exitReason = snapshot.exitReason >>> 0;
  const basic = bits(EXIT_REASON_BASIC, exitReason);
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
  const info = snapshot.exitInterruptionInfo;
  const q = snapshot.exitQualification;
  if (q !== undefined) {
    const h: U64Halves = { lo: 0, hi: 0 };
    splitU64(q, "exitQualification", h);
    const layout = vmxQualificationLayout(basic, info);
    const node = explainRegister(
      "Exit qualification",
      64,
      h,
      layout ?? [],
      basic === VmxExitReason.EPT_VIOLATION
        ? `access ${formatMappingFlags(bits(EPT_ACCESS, h.lo))}`
        : undefined,
    );
    nodes.push(node);
  }
  if (snapshot.guestPhysicalAddress !== undefined) {
    nodes.push(
      whole("Guest-physical address", toU64(snapshot.guestPhysicalAddress, "guestPhysicalAddress")),
    );
  }
  if (snapshot.guestLinearAddress !== undefined) {
    nodes.push(
      whole("Guest linear address", toU64(snapshot.guestLinearAddress, "guestLinearAddress")),
    );
  }
  if (info !== undefined) {
    nodes.push(
      interruptionNode("VM-exit interruption information", info, VMX_EXIT_INTERRUPTION_LAYOUT),
    );
  }
  if (snapshot.idtVectoringInfo !== undefined) {
    nodes.push(
      interruptionNode(
        "IDT-vectoring information",
        snapshot.idtVectoringInfo,
        VMX_IDT_VECTORING_LAYOUT,
      ),
    );
  }
  const length = snapshot.instructionLength;
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
  if (snapshot.instructionInfo !== undefined) {
    // its layout depends on the exit reason; Linux reads reg1 from bits 6:3 and reg2 from 31:28
    nodes.push(explainNode("VM-exit instruction information", 31, 0, snapshot.instructionInfo));
  }
  const regs = snapshot.regs;
  if (
    basic === VmxExitReason.MSR_WRITE &&
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
