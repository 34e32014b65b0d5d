// The completion table: one entry per architecture, keyed by the `Arch` union, so that a new
// architecture in `Arch` does not compile until it says how its exits complete.
import type { Arch } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import { aarch64InstructionLength, aarch64MmioRead, aarch64SysRegRead } from "./aarch64";
import { riscvInstructionLength, riscvMmioRead, riscvSysRegRead } from "./riscv";
import { svmInstructionLength } from "./svm-length";
import type { ArchCompletion } from "./types";
import { x86MmioRead, x86SysRegRead } from "./x86";
import { vmxInstructionLength } from "./x86-length";

/** How each architecture completes exits. */
export const COMPLETIONS: { readonly [A in Arch]: ArchCompletion<A> } = {
  "x86-vmx": {
    mmioRead: x86MmioRead,
    sysRegRead: x86SysRegRead,
    instructionLength: vmxInstructionLength,
  },
  "x86-svm": {
    mmioRead: x86MmioRead,
    sysRegRead: x86SysRegRead,
    instructionLength: svmInstructionLength,
  },
  aarch64: {
    mmioRead: aarch64MmioRead,
    sysRegRead: aarch64SysRegRead,
    instructionLength: aarch64InstructionLength,
  },
  riscv: {
    mmioRead: riscvMmioRead,
    sysRegRead: riscvSysRegRead,
    instructionLength: riscvInstructionLength,
  },
};

/** The completion entry of `arch`, or a `VmExitError("invalid-argument")` naming the known ones. */
export function completionOf<A extends Arch>(arch: A): ArchCompletion<A> {
  if (typeof arch !== "string" || !Object.hasOwn(COMPLETIONS, arch)) {
    throw new VmExitError(
      "invalid-argument",
      `arch must be one of ${Object.keys(COMPLETIONS).join(", ")}, got ${show(arch)}`,
      "arch",
    );
  }
  return COMPLETIONS[arch];
}
