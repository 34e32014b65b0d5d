// The registry: one codec per exit format. Everything that works on "every architecture" (the
// command line, the trace reader, `canEncode`, the tests) iterates this object; adding an
// architecture is one codec and one line here, which the `satisfies` clause demands.
import { aarch64Codec } from "./aarch64/codec";
import { checkArg } from "./core/check-arg";
import type { AnyCodec } from "./core/codec";
import type { Arch } from "./core/decoded";
import { show, VmExitError } from "./core/error";
import type { VmExit } from "./core/exit";
import { checkOptions } from "./core/options";
import { riscvCodec } from "./riscv/codec";
import { svmCodec } from "./x86/svm/codec";
import { vmxCodec } from "./x86/vmx/codec";

/**
 * Every codec, by architecture: `codecs[arch].decode(snapshot, options)`, `.decodeExit`,
 * `.encode`, `.canEncode`, `.explain`.
 * @example codecs.aarch64.decode({ esr: 0x93810047, hpfar: 0x90000n, far: 0x10, x: [0n, 7n] }).exit
 */
export const codecs = {
  /** Intel VMX: exit reason, qualification, VMCS fields and guest registers. */
  "x86-vmx": vmxCodec,
  /** AMD SVM: EXITCODE, EXITINFO1/2, EXITINTINFO, decode-assist bytes and guest registers. */
  "x86-svm": svmCodec,
  /** AArch64 at EL2: ESR_EL2, FAR_EL2, HPFAR_EL2 and the X registers. */
  aarch64: aarch64Codec,
  /** RISC-V H extension: scause, stval, htval, htinst and the X registers. */
  riscv: riscvCodec,
} as const satisfies { readonly [A in Arch]: AnyCodec & { readonly arch: A } };

/** The architectures, in registry order. */
export const ARCHES: readonly Arch[] = /* @__PURE__ */ Object.keys(codecs) as Arch[];

/** The codec of `arch`, or a `VmExitError("invalid-argument")` naming the known ones. */
export function codecOf<A extends Arch>(arch: A): (typeof codecs)[A] {
  if (typeof arch !== "string" || !Object.hasOwn(codecs, arch)) {
    throw new VmExitError(
      "invalid-argument",
      `arch must be one of ${ARCHES.join(", ")}, got ${show(arch)}`,
      "arch",
    );
  }
  return codecs[arch];
}

/**
 * The codec a command-line or link name (`vmx`, `svm`, `arm64`, `riscv`, or the arch key, any case)
 * stands for, or `undefined`; a `name` that is not a string is a `VmExitError("invalid-argument")`.
 * @example codecByName("arm64")?.arch // "aarch64"
 */
export function codecByName(name: string): AnyCodec | undefined {
  checkArg(name, "string", "name");
  const n = name.toLowerCase();
  for (const arch of ARCHES) {
    const c: AnyCodec = codecs[arch];
    if (c.arch === n || c.names.includes(n)) return c;
  }
  return undefined;
}

/**
 * Whether `codecs[arch].encode(exit, options)` can express this exit (agrees exactly with the
 * encoder); `false` for a value that is not a `VmExit`. An unknown `arch` or options the encoder
 * does not take are a `VmExitError("invalid-argument")`.
 * @example canEncode("aarch64", ioRead({ port: 0x60, width: 1 })) // false: no port I/O on Arm
 */
export function canEncode(arch: Arch, exit: VmExit, options?: unknown): boolean {
  const codec: AnyCodec = codecOf(arch);
  checkOptions(options, codec.encodeOptions);
  return codec.canEncode(exit, options);
}

/** The codec registered for `A`. */
export type CodecOf<A extends Arch> = (typeof codecs)[A];
/** The raw snapshot type of `A` (`VmxSnapshot`, `Aarch64Snapshot`, …). */
export type SnapshotOf<A extends Arch> = Parameters<CodecOf<A>["decode"]>[0];
/** The decode options of `A`. */
export type DecodeOptionsOf<A extends Arch> = NonNullable<Parameters<CodecOf<A>["decode"]>[1]>;
/** The encode options of `A`. */
export type EncodeOptionsOf<A extends Arch> = NonNullable<Parameters<CodecOf<A>["encode"]>[1]>;
/** The cause type of `A` (`VmxCause`, `Aarch64Cause`, …). */
export type CauseOf<A extends Arch> = ReturnType<CodecOf<A>["decode"]>["cause"];
