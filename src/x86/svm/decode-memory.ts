// The SVM exits of a guest memory access: the nested page fault and the unaccelerated AVIC access.
// Each becomes MmioRead / MmioWrite through the shared MMIO path (as an AMD processor decodes the
// bytes) when the decode-assist bytes tell the access, else NestedPageFault (NPF) or Nothing
// (AVIC), the cause saying why (`notMmio`).
import { nothing } from "../../core/constructors";
import type { VmExit } from "../../core/exit";
import { MappingFlags } from "../../core/scalars/mapping-flags";
import { hex, highHalf, splitOptionalU64Low } from "../../core/u64";
import * as unchecked from "../../core/unchecked";
import { needField } from "../fields";
import type { X86MemAccess } from "../insn/access";
import { MMIO_FINDINGS, mmioExit } from "../mmio";
import { apicBaseOf } from "../options";
import { avicUnacceleratedAccessCause, intInfoOf, npfCause } from "./causes";
import { AVIC_TRAP_OFFSETS, apicRegisterName, Npf } from "./exitinfo";
import {
  type CauseSlot,
  checkInfo,
  checkIntInfo,
  INFO1,
  INFO2,
  readInfo1,
  readInfo2,
  u64Of,
} from "./read";
import type { SvmDecodeOptions, SvmSnapshot } from "./snapshot";

/** 0x400: MMIO when EXITINFO1 says a data access to the final translation and the bytes decode. */
export function decodeNpf(
  s: SvmSnapshot,
  code: number,
  o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  const lo = splitOptionalU64Low(i1, "exitInfo1");
  const hi = highHalf();
  checkInfo(i2, "exitInfo2");
  const gpa = u64Of(i2) as bigint;
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  needField(i1, "exitInfo1", "NPF");
  needField(i2, "exitInfo2", "NPF");
  const write = ((lo >>> Npf.RW) & 1) !== 0;
  const fetch = ((lo >>> Npf.ID) & 1) !== 0;
  let exit: VmExit | undefined;
  let notMmio: string | undefined;
  let instruction: X86MemAccess | undefined;
  if (fetch) {
    notMmio = "an instruction fetch (EXITINFO1 bit 4) is not a data access";
  } else if (((hi >>> (Npf.GUEST_PAGE - 32)) & 1) !== 0) {
    // the processor was walking the guest's page tables: the GPA is a page-table entry, not the
    // operand of the instruction at RIP
    notMmio =
      "the access is to a guest page table (EXITINFO1 bit 33), not the instruction's operand";
  } else {
    exit = mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      gpa,
      write ? "write" : "read",
      s.regs,
      o?.isMmio,
      "NPF",
      "amd",
      out !== undefined,
    );
    instruction = MMIO_FINDINGS.instruction;
    notMmio = MMIO_FINDINGS.notMmio;
  }
  if (out !== undefined) {
    out.cause = npfCause(
      code,
      intInfoOf(info, err),
      gpa,
      u64Of(i1) as bigint,
      lo,
      hi,
      instruction,
      notMmio,
    );
  }
  if (exit !== undefined) return exit;
  // one flag, as on VMX and AArch64: an instruction fetch, else a write, else a read
  const flags = fetch ? MappingFlags.EXECUTE : write ? MappingFlags.WRITE : MappingFlags.READ;
  return unchecked.nestedPageFault(gpa, flags);
}

/** 0x402: a fault-style access to the APIC page is MMIO at the APIC base + offset. */
export function decodeAvicUnacceleratedAccess(
  s: SvmSnapshot,
  code: number,
  o: SvmDecodeOptions | undefined,
  out: CauseSlot | undefined,
): VmExit {
  const i1 = s.exitInfo1;
  const i2 = s.exitInfo2;
  readInfo1(i1);
  readInfo2(i2);
  const info = s.exitIntInfo;
  const err = s.exitIntInfoErrorCode;
  checkIntInfo(info, err);
  needField(i1, "exitInfo1", "AVIC_UNACCELERATED_ACCESS");
  // EXITINFO1 bits 11:4 are the offset >> 4, bit 32 the write (Linux AVIC_UNACCEL_ACCESS_*)
  const offset = INFO1.lo & 0xff0;
  const write = (INFO1.hi & 1) !== 0;
  const trap = AVIC_TRAP_OFFSETS[offset >>> 4] === true;
  const base = apicBaseOf(o?.apicBase);
  let exit: VmExit | undefined;
  let gpa: bigint | undefined;
  let notMmio: string | undefined;
  let instruction: X86MemAccess | undefined;
  if (trap) {
    notMmio = `offset ${hex(offset)} (${apicRegisterName(offset)}) is a trap: the ${write ? "write" : "access"} is already done, there is nothing to emulate`;
  } else {
    gpa = base + BigInt(offset);
    exit = mmioExit(
      s.instructionBytes,
      o?.cpuMode ?? 64,
      gpa,
      write ? "write" : "read",
      s.regs,
      o?.isMmio,
      "AVIC_UNACCELERATED_ACCESS",
      "amd",
      out !== undefined,
    );
    instruction = MMIO_FINDINGS.instruction;
    notMmio = MMIO_FINDINGS.notMmio;
  }
  if (out !== undefined) {
    out.cause = avicUnacceleratedAccessCause(
      code,
      intInfoOf(info, err),
      offset,
      apicRegisterName(offset),
      write,
      trap,
      i2 === undefined ? undefined : INFO2.lo,
      gpa,
      instruction,
      notMmio,
    );
  }
  return exit ?? nothing();
}
