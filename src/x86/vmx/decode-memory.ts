// The VMX exits of a guest memory access: EPT violation, EPT misconfiguration and APIC access.
// Each becomes MmioRead / MmioWrite through the shared MMIO path when the instruction bytes tell
// the access, else NestedPageFault (EPT) or Nothing (APIC), the cause saying why (`notMmio`).
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { bits, isSet } from "../../core/layout";
import type { MappingFlags } from "../../core/scalars/mapping-flags";
import { toU64 } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { mmioExit } from "../mmio";
import { apicBaseOf } from "../options";
import { type Draft, gpaOf, needQualification } from "./draft";
import {
  APIC_ACCESS_TYPE,
  APIC_ASYNC,
  APIC_OFFSET,
  EPT_ACCESS,
  EPT_EXECUTABLE,
  EPT_EXECUTE_DISABLE,
  EPT_FETCH,
  EPT_FINAL_TRANSLATION,
  EPT_GLA_VALID,
  EPT_LINEAR_WRITABLE,
  EPT_READ,
  EPT_READABLE,
  EPT_USER_EXECUTABLE,
  EPT_USER_MODE,
  EPT_WRITABLE,
  EPT_WRITE,
  NMI_UNBLOCKING,
  VMX_APIC_ACCESS_TYPES,
} from "./qualification";
import type { VmxDecodeOptions, VmxSnapshot } from "./snapshot";

/** APIC-access types 0 and 1: a linear read or write during instruction execution. */
const APIC_LINEAR_WRITE = 1;

/** Writes the EPT-violation qualification bits 0–12 (and the GLA when bit 7 says it is valid). */
function eptViolationFields(s: VmxSnapshot, lo: number, gpa: bigint, c: Draft): void {
  c.gpa = gpa;
  const glaValid = isSet(EPT_GLA_VALID, lo);
  if (glaValid && s.guestLinearAddress !== undefined) {
    c.linearAddress = toU64(s.guestLinearAddress, "guestLinearAddress");
  }
  c.read = isSet(EPT_READ, lo);
  c.write = isSet(EPT_WRITE, lo);
  c.fetch = isSet(EPT_FETCH, lo);
  c.readable = isSet(EPT_READABLE, lo);
  c.writable = isSet(EPT_WRITABLE, lo);
  c.executable = isSet(EPT_EXECUTABLE, lo);
  c.userExecutable = isSet(EPT_USER_EXECUTABLE, lo);
  c.linearAddressValid = glaValid;
  c.finalTranslation = isSet(EPT_FINAL_TRANSLATION, lo);
  c.userMode = isSet(EPT_USER_MODE, lo);
  c.linearWritable = isSet(EPT_LINEAR_WRITABLE, lo);
  c.executeDisable = isSet(EPT_EXECUTE_DISABLE, lo);
  c.nmiUnblocking = isSet(NMI_UNBLOCKING, lo);
}

/** Reason 48: MMIO when the qualification says data access at the final translation and the bytes decode. */
export function decodeEptViolation(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  needQualification(s, "EPT_VIOLATION");
  const gpa = gpaOf(s, "EPT_VIOLATION");
  if (c !== undefined) eptViolationFields(s, lo, gpa, c);
  if (isSet(EPT_FETCH, lo)) {
    if (c !== undefined)
      c.notMmio = "an instruction fetch (qualification bit 2) is not a data access";
  } else if (!isSet(EPT_READ, lo) && !isSet(EPT_WRITE, lo)) {
    if (c !== undefined)
      c.notMmio = "the qualification reports no data read or write (bits 1:0 clear)";
  } else if (isSet(EPT_GLA_VALID, lo) && !isSet(EPT_FINAL_TRANSLATION, lo)) {
    // bit 7 set, bit 8 clear: the CPU was walking (or setting A/D bits in) the guest page tables,
    // so the GPA is a paging-structure entry, not the operand of the instruction at RIP
    if (c !== undefined) {
      c.notMmio =
        "the access is to a guest paging-structure entry (qualification bit 7 set, bit 8 clear), not the instruction's operand";
    }
  } else {
    const mmio = mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      gpa,
      isSet(EPT_WRITE, lo) ? "write" : "read",
      s.regs,
      o?.isMmio,
      "EPT_VIOLATION",
      c,
    );
    if (mmio !== undefined) return mmio;
  }
  return unchecked.nestedPageFault(gpa, bits(EPT_ACCESS, lo) as MappingFlags);
}

/** Reason 49: the qualification is undefined, so the instruction alone gives the direction. */
export function decodeEptMisconfig(
  s: VmxSnapshot,
  _lo: number,
  _hi: number,
  o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  const gpa = gpaOf(s, "EPT_MISCONFIG");
  if (c !== undefined) c.gpa = gpa;
  return (
    mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      gpa,
      undefined,
      s.regs,
      o?.isMmio,
      "EPT_MISCONFIG",
      c,
    ) ?? unchecked.nestedPageFault(gpa, 0 as MappingFlags)
  );
}

/** Reason 44: a linear data access to the APIC page is MMIO at the APIC base + offset. */
export function decodeApicAccess(
  s: VmxSnapshot,
  lo: number,
  _hi: number,
  o: VmxDecodeOptions | undefined,
  c: Draft | undefined,
): VmExit {
  needQualification(s, "APIC_ACCESS");
  const offset = bits(APIC_OFFSET, lo);
  const type = bits(APIC_ACCESS_TYPE, lo);
  if (c !== undefined) {
    c.offset = offset;
    c.accessType = type;
    c.accessTypeName = VMX_APIC_ACCESS_TYPES[type] ?? "reserved";
    c.async = isSet(APIC_ASYNC, lo);
  }
  if (type > APIC_LINEAR_WRITE) {
    if (c !== undefined) {
      c.notMmio = `APIC access type ${type} (${c.accessTypeName}) is not a linear data access`;
    }
    return nothing();
  }
  const addr = apicBaseOf(o?.apicBase) + BigInt(offset);
  if (c !== undefined) c.gpa = addr;
  return (
    mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      addr,
      type === APIC_LINEAR_WRITE ? "write" : "read",
      s.regs,
      o?.isMmio,
      "APIC_ACCESS",
      c,
    ) ?? nothing()
  );
}
