// The VMX exits of a guest memory access: EPT violation, EPT misconfiguration and APIC access.
// Each becomes MmioRead / MmioWrite through the shared MMIO path when the instruction bytes tell
// the access, else NestedPageFault (EPT) or Nothing (APIC), the cause saying why (`notMmio`).
import { bitsAt, isSetAt } from "../../core/at";
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { bits } from "../../core/layout";
import type { MappingFlags } from "../../core/scalars/mapping-flags";
import { splitOptionalU64Low } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { needField, optionalU32, optionalU64 } from "../fields";
import type { X86MemAccess } from "../insn/access";
import { MMIO_FINDINGS, mmioExit } from "../mmio";
import { apicBaseOf } from "../options";
import { checkRegs } from "../regs";
import { apicAccessCause, eptMisconfigCause, eptViolationCause } from "./causes";
import { EptQualification } from "./positions";
import { APIC_ACCESS_TYPE, APIC_OFFSET, VMX_APIC_ACCESS_TYPES } from "./qualification";
import { type CauseSlot, gpaOf, QUALIFICATION, readQualification } from "./read";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** APIC-access types 0 and 1: a linear read or write during instruction execution. */
const APIC_LINEAR_WRITE = 1;

/** Reason 48: MMIO when the qualification says data access at the final translation and the bytes decode. */
export function decodeEptViolation(
  s: VmxSnapshot,
  exitReason: number,
  o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const q = s.exitQualification;
  needField(q, "exitQualification", "EPT_VIOLATION");
  const lo = splitOptionalU64Low(q, "exitQualification");
  const gpa = gpaOf(s.guestPhysicalAddress, "EPT_VIOLATION");
  // read (and so checked) whether or not the cause is wanted: both decodes reject the same input
  const gla = optionalU64(s.guestLinearAddress, "guestLinearAddress");
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  let exit: VmExit | undefined;
  let notMmio: string | undefined;
  let instruction: X86MemAccess | undefined;
  if (isSetAt(EptQualification.FETCH, lo)) {
    notMmio = "an instruction fetch (qualification bit 2) is not a data access";
  } else if (!isSetAt(EptQualification.READ, lo) && !isSetAt(EptQualification.WRITE, lo)) {
    notMmio = "the qualification reports no data read or write (bits 1:0 clear)";
  } else if (
    isSetAt(EptQualification.GLA_VALID, lo) &&
    !isSetAt(EptQualification.FINAL_TRANSLATION, lo)
  ) {
    // bit 7 set, bit 8 clear: the CPU was walking (or setting A/D bits in) the guest page tables,
    // so the GPA is a paging-structure entry, not the operand of the instruction at RIP
    notMmio =
      "the access is to a guest paging-structure entry (qualification bit 7 set, bit 8 clear), not the instruction's operand";
  } else {
    exit = mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      gpa,
      isSetAt(EptQualification.WRITE, lo) ? "write" : "read",
      regs,
      o?.isMmio,
      "EPT_VIOLATION",
      "intel",
      out !== undefined,
    );
    instruction = MMIO_FINDINGS.instruction;
    notMmio = MMIO_FINDINGS.notMmio;
  }
  if (out !== undefined) {
    const linear = isSetAt(EptQualification.GLA_VALID, lo) ? gla : undefined;
    out.cause = eptViolationCause(exitReason, lo, idt, gpa, linear, instruction, notMmio);
  }
  return (
    exit ?? unchecked.nestedPageFault(gpa, bitsAt(EptQualification.ACCESS, lo) as MappingFlags)
  );
}

/** Reason 49: the qualification is undefined, so the instruction alone gives the direction. */
export function decodeEptMisconfig(
  s: VmxSnapshot,
  exitReason: number,
  o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const gpa = gpaOf(s.guestPhysicalAddress, "EPT_MISCONFIG");
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  const exit = mmioExit(
    s.instructionBytes,
    o?.cpuMode ?? 64,
    gpa,
    undefined,
    regs,
    o?.isMmio,
    "EPT_MISCONFIG",
    "intel",
    out !== undefined,
  );
  if (out !== undefined) {
    const f = MMIO_FINDINGS;
    out.cause = eptMisconfigCause(exitReason, idt, gpa, f.instruction, f.notMmio);
  }
  return exit ?? unchecked.nestedPageFault(gpa, 0 as MappingFlags);
}

/** Reason 44: a linear data access to the APIC page is MMIO at the APIC base + offset. */
export function decodeApicAccess(
  s: VmxSnapshot,
  exitReason: number,
  o: VmxDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const regs = checkRegs(s.regs);
  const q = s.exitQualification;
  needField(q, "exitQualification", "APIC_ACCESS");
  readQualification(q);
  const lo = QUALIFICATION.lo;
  const idt = optionalU32(s.idtVectoringInfo, "idtVectoringInfo");
  const type = bits(APIC_ACCESS_TYPE, lo);
  if (type > APIC_LINEAR_WRITE) {
    if (out !== undefined) {
      const name = VMX_APIC_ACCESS_TYPES[type] ?? "reserved";
      const why = `APIC access type ${type} (${name}) is not a linear data access`;
      out.cause = apicAccessCause(exitReason, lo, idt, undefined, undefined, why);
    }
    return nothing();
  }
  const addr = apicBaseOf(o?.apicBase) + BigInt(bits(APIC_OFFSET, lo));
  const exit = mmioExit(
    s.instructionBytes,
    o?.cpuMode ?? 64,
    addr,
    type === APIC_LINEAR_WRITE ? "write" : "read",
    regs,
    o?.isMmio,
    "APIC_ACCESS",
    "intel",
    out !== undefined,
  );
  if (out !== undefined) {
    const f = MMIO_FINDINGS;
    out.cause = apicAccessCause(exitReason, lo, idt, addr, f.instruction, f.notMmio);
  }
  return exit ?? nothing();
}
