// Reading a raw VMCB page (AMD APM Vol. 2 Appendix B; Linux struct vmcb_control_area and
// vmcb_save_area, Xen struct vmcb_struct, Bochs SVM_CONTROL*): the control-area fields an exit
// leaves, the decode-assist bytes, and the save area's RAX, RSP and RIP, little-endian.
import type { DecodedExit } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import { checkRegs, type X86Regs } from "../regs";
import type { SvmCause } from "./cause";
import { decodeSvm } from "./decode";
import type { SvmDecodeOptions, SvmSnapshot } from "./snapshot";

/** The size of a VMCB: one 4 KiB page. */
export const SVM_VMCB_SIZE = 4096;

/** Offsets of the fields read, in the control area (0x000) and the save area (0x400). */
const EXITCODE = 0x070;
const EXITINFO1 = 0x078;
const EXITINFO2 = 0x080;
const EXITINTINFO = 0x088;
const EXITINTINFO_ERR = 0x08c;
const GHCB_GPA = 0x0a0;
const NEXT_RIP = 0x0c8;
const BYTES_FETCHED = 0x0d0;
const GUEST_INSN_BYTES = 0x0d1;
const SAVE_RIP = 0x578;
const SAVE_RSP = 0x5d8;
const SAVE_RAX = 0x5f8;

/** The page as a DataView of exactly 4096 bytes, or `invalid-argument` naming `vmcb`. */
function pageView(vmcb: unknown): DataView {
  let view: DataView | undefined;
  if (vmcb instanceof DataView) view = vmcb;
  else if (vmcb instanceof Uint8Array)
    view = new DataView(vmcb.buffer, vmcb.byteOffset, vmcb.byteLength);
  else if (vmcb instanceof ArrayBuffer) view = new DataView(vmcb);
  if (view === undefined) {
    throw new VmExitError(
      "invalid-argument",
      `vmcb must be a Uint8Array, an ArrayBuffer or a DataView, got ${show(vmcb)}`,
      "vmcb",
    );
  }
  if (view.byteLength !== SVM_VMCB_SIZE) {
    throw new VmExitError(
      "invalid-argument",
      `vmcb must be a ${SVM_VMCB_SIZE}-byte VMCB page, got ${view.byteLength} bytes`,
      "vmcb",
    );
  }
  return view;
}

/**
 * The `SvmSnapshot` a raw 4 KiB VMCB page holds: EXITCODE (0x070), EXITINFO1 (0x078), EXITINFO2
 * (0x080), EXITINTINFO and its error code (0x088, 0x08C), the GHCB GPA (0x0A0), NEXT_RIP (0x0C8),
 * the decode-assist bytes (count at 0x0D0, bytes from 0x0D1; left out when the count is 0), and
 * RAX, RSP, RIP from the save area (0x5F8, 0x5D8, 0x578). `regs` adds the registers the VMCB does
 * not hold and overrides the page's (an SEV-ES save area is encrypted). The VMCB has no interrupt
 * vector: for an INTR exit, add `interruptVector` to the result.
 * @example decodeSvm({ ...readSvmVmcb(page), interruptVector: 0xec })
 */
export function readSvmVmcb(
  vmcb: Uint8Array | ArrayBuffer | DataView,
  regs?: X86Regs,
): SvmSnapshot {
  const v = pageView(vmcb);
  const given = checkRegs(regs);
  const count = v.getUint8(BYTES_FETCHED);
  if (count > 15) {
    throw new VmExitError(
      "reserved-encoding",
      `vmcb byte 0x0d0 (number of instruction bytes fetched) must be 0…15, got ${count}`,
      "vmcb",
    );
  }
  const snapshot: {
    -readonly [K in keyof SvmSnapshot]: SvmSnapshot[K];
  } = {
    exitCode: v.getBigUint64(EXITCODE, true),
    exitInfo1: v.getBigUint64(EXITINFO1, true),
    exitInfo2: v.getBigUint64(EXITINFO2, true),
    exitIntInfo: v.getUint32(EXITINTINFO, true),
    exitIntInfoErrorCode: v.getUint32(EXITINTINFO_ERR, true),
    nextRip: v.getBigUint64(NEXT_RIP, true),
    ghcbGpa: v.getBigUint64(GHCB_GPA, true),
    regs: {
      rax: v.getBigUint64(SAVE_RAX, true),
      rsp: v.getBigUint64(SAVE_RSP, true),
      rip: v.getBigUint64(SAVE_RIP, true),
      ...given,
    },
  };
  if (count > 0) {
    const bytes = new Uint8Array(count);
    for (let i = 0; i < count; i++) bytes[i] = v.getUint8(GUEST_INSN_BYTES + i);
    snapshot.instructionBytes = bytes;
  }
  return snapshot;
}

/**
 * Decodes a raw 4 KiB VMCB page (little-endian, as `readSvmVmcb` reads it) as `decodeSvm` does;
 * `regs` gives the guest registers the VMCB does not hold (the save area has RAX, RSP and RIP).
 * @example decodeSvmVmcb(page, { rcx: 0x1b }).exit // an RDMSR page: SysRegRead { addr: 0x1b, reg: 0 }
 */
export function decodeSvmVmcb(
  vmcb: Uint8Array | ArrayBuffer | DataView,
  regs?: X86Regs,
  options?: SvmDecodeOptions,
): DecodedExit<SvmCause> {
  return decodeSvm(readSvmVmcb(vmcb, regs), options);
}
