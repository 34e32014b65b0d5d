// The decoder options of each exit: the caller's options per architecture, with what the trace
// itself says layered on top (the CPU mode `kvm_emulate_insn` prints) and the KVM hypercall ABI as
// the default on x86 (`kvm_hypercall` only fires for KVM's ABI). Built once per variant, not per exit.
import { codecs } from "../../codecs";
import type { AnyCodec } from "../../core/codec";
import type { Arch } from "../../core/decoded";
import { show, VmExitError } from "../../core/error";
import { checkOptions } from "../../core/options";

/** Caller options by architecture key (`{ "x86-vmx": { hypercallAbi: "kvm" } }`). */
export type OptionsByArch = { readonly [A in Arch | "x86-svm"]?: unknown };

/** The options objects handed to the decoders, cached. */
export class TraceOptions {
  readonly #user: OptionsByArch;
  /** By `(svm ? 4 : 0) + mode index` (mode 0, 16, 32, 64). */
  readonly #x86: (object | undefined)[] = [];

  /** True when causes are built (items); statistics decode exits only and leave out what only a cause shows. */
  readonly causes: boolean;

  /** Checks the caller's options once: an object keyed by architecture, each valid for its decoder. */
  constructor(user: unknown = {}, causes = true) {
    this.causes = causes;
    if (typeof user !== "object" || user === null || Array.isArray(user)) {
      throw new VmExitError(
        "invalid-argument",
        `options must be an object keyed by architecture, got ${show(user)}`,
        "options",
      );
    }
    const registry = codecs as Readonly<Record<string, AnyCodec | undefined>>;
    const copies: Record<string, unknown> = {};
    for (const [arch, value] of Object.entries(user)) {
      const codec = Object.hasOwn(registry, arch) ? registry[arch] : undefined;
      if (codec === undefined && arch !== "x86-svm") {
        throw new VmExitError(
          "invalid-argument",
          `options has no architecture ${show(arch)} (use ${Object.keys(registry).join(", ")})`,
          `options.${arch}`,
        );
      }
      if (codec !== undefined) checkOptions(value, codec.decodeOptions);
      // a frozen copy, which the decoders then check once rather than at every exit
      copies[arch] =
        typeof value === "object" && value !== null ? Object.freeze({ ...value }) : value;
    }
    this.#user = copies as OptionsByArch;
  }

  /** Options of `arch` as the caller gave them (a frozen copy). */
  of(arch: Arch | "x86-svm"): unknown {
    return this.#user[arch];
  }

  /** x86 options (`x86-vmx` or `x86-svm`) for an exit whose emulated instruction ran in `cpuMode` (0: not known). */
  x86(arch: "x86-vmx" | "x86-svm", cpuMode: number): object {
    const id =
      (arch === "x86-svm" ? 4 : 0) +
      (cpuMode === 16 ? 1 : cpuMode === 32 ? 2 : cpuMode === 64 ? 3 : 0);
    let o = this.#x86[id];
    if (o === undefined) {
      const user = (this.#user[arch] ?? {}) as Record<string, unknown>;
      const built: Record<string, unknown> = { hypercallAbi: "kvm", ...user };
      if (cpuMode !== 0) built.cpuMode = cpuMode;
      // frozen, so that the decoder checks it once, not at every exit
      o = Object.freeze(built);
      this.#x86[id] = o;
    }
    return o;
  }
}
