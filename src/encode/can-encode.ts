import { canEncodeAarch64 } from "../aarch64/encode";
import { ARCHES, type Arch } from "../core/decoded";
import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { canEncodeRiscv } from "../riscv/encode";
import { canEncodeVmx } from "../x86/encode";

const CAN_ENCODE: { readonly [A in Arch]: (exit: VmExit) => boolean } = {
  "x86-vmx": canEncodeVmx,
  aarch64: canEncodeAarch64,
  riscv: canEncodeRiscv,
};

/** Whether `encode<Arch>(exit)` can express this exit on `arch` (agrees exactly with the encoder). */
export function canEncode(arch: Arch, exit: VmExit): boolean {
  if (!Object.hasOwn(CAN_ENCODE, arch)) {
    throw new VmExitError(
      "invalid-argument",
      `arch must be one of ${ARCHES.join(", ")}, got ${show(arch)}`,
      "arch",
    );
  }
  return CAN_ENCODE[arch](exit);
}
