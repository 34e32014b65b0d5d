// How far an x86 VMM steps RIP. Intel SDM Vol. 3C, "Information for VM Exits Due to Instruction
// Execution": the VM-exit instruction-length field is set for exits caused by executing an
// instruction, and is undefined for EPT violations, EPT misconfigurations and APIC accesses
// (unless they happen while delivering a software interrupt), which are exactly the exits whose
// instruction vmexit decodes from the bytes at RIP. Those take the length of the decoded MOV;
// every other exit takes the field.
import { show, VmExitError } from "../core/error";
import { toInt } from "../core/u64";
import { decodeX86MemAccess, type VmxDecodeOptions, type VmxSnapshot } from "../x86/index";
import { checkBytes, checkSnapshotObject } from "./check";

/** The x86 execution modes, which set the default operand and address sizes. */
type X86Mode = 16 | 32 | 64;

/** Reads `options.cpuMode` (default 64). */
export function x86Mode(options: { readonly cpuMode?: unknown } | undefined): X86Mode {
  if (options === undefined) return 64;
  if (typeof options !== "object" || options === null) {
    throw new VmExitError(
      "invalid-argument",
      `options must be an object, got ${show(options)}`,
      "options",
    );
  }
  const mode = options.cpuMode;
  if (mode === undefined) return 64;
  if (mode === 16 || mode === 32 || mode === 64) return mode;
  throw new VmExitError(
    "invalid-argument",
    `options.cpuMode must be 16, 32 or 64, got ${show(mode)}`,
    "options.cpuMode",
  );
}

/**
 * The length of the MOV-family instruction in `instructionBytes`, for an exit (`what`) whose
 * instruction the hardware does not measure; `missing-register` when the bytes are absent or are
 * not an instruction vmexit decodes.
 */
export function decodedLength(bytes: unknown, mode: X86Mode, what: string): number {
  if (bytes === undefined) {
    throw new VmExitError(
      "missing-register",
      `instructionBytes are needed: the hardware gives no instruction length for ${what}`,
      "instructionBytes",
    );
  }
  checkBytes(bytes, "instructionBytes");
  const access = decodeX86MemAccess(bytes as readonly number[], mode);
  if ("unsupported" in access) {
    throw new VmExitError(
      "missing-register",
      `the length of the instruction at RIP is unknown: the hardware gives none for ${what} and instructionBytes do not decode (${access.unsupported})`,
      "instructionBytes",
    );
  }
  return access.length;
}

/** Basic exit reasons whose instruction length comes from the bytes: APIC access, EPT violation, EPT misconfiguration. */
const DECODED_REASONS: Readonly<Record<number, string>> = {
  44: "APIC_ACCESS",
  48: "EPT_VIOLATION",
  49: "EPT_MISCONFIG",
};

/** The bytes to add to RIP after emulating the instruction of a VMX exit. */
export function vmxInstructionLength(
  snapshot: VmxSnapshot,
  options: VmxDecodeOptions | undefined,
): number {
  checkSnapshotObject(snapshot);
  const mode = x86Mode(options);
  const reason = toInt(snapshot.exitReason, "exitReason", 0, 0xffff_ffff);
  const decoded = reason >>> 31 === 0 ? DECODED_REASONS[reason & 0xffff] : undefined;
  if (decoded !== undefined) return decodedLength(snapshot.instructionBytes, mode, decoded);
  const length = snapshot.instructionLength;
  if (length === undefined) {
    throw new VmExitError(
      "missing-register",
      `instructionLength (VMCS 0x440C) is needed for the length of the instruction of exit reason ${reason}`,
      "instructionLength",
    );
  }
  return toInt(length, "instructionLength", 1, 15);
}
