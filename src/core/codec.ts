import type { Arch, CauseBase, DecodedExit, RegValue } from "./decoded";
import type { VmExit } from "./exit";
import type { ExplainNode } from "./explain";

/** How the text of a snapshot value or an option is read (command line, playground, URL hash). */
export type ValueSpec =
  /** An unsigned integer up to 2^64 − 1, stored as a bigint. */
  | {
      /** The kind of value. */
      readonly type: "u64";
    }
  /** An unsigned integer up to 2^32 − 1, stored as a number. */
  | {
      /** The kind of value. */
      readonly type: "u32";
    }
  /** Bytes as hex pairs (`8b 07`, `8b:07`, `8b07`), stored as a number array. */
  | {
      /** The kind of value. */
      readonly type: "bytes";
    }
  /** One of a fixed set of values, spelled exactly (`"sync"`, `"irq"`; `32`, `64`). */
  | {
      /** The kind of value. */
      readonly type: "choice";
      /** The values allowed. */
      readonly values: readonly (string | number)[];
    }
  /** A number, or a name resolved by `lookup` (`reason=HLT`, `exit-code=npf`). */
  | {
      /** The kind of value. */
      readonly type: "named";
      /** How many bits the number may have. */
      readonly bits: 32 | 64;
      /** The number a name stands for, or `undefined`. */
      readonly lookup: (name: string) => RegValue | undefined;
    }
  /** A boolean option (`true` / `false`; on the command line a flag). */
  | {
      /** The kind of value. */
      readonly type: "boolean";
    }
  /** A function option (`isMmio`): not settable from text. */
  | {
      /** The kind of value. */
      readonly type: "function";
    };

/** One key of a snapshot as text sees it: its name, aliases, where it goes and how it is read. */
export interface SnapshotKey {
  /** The canonical key: the snapshot property (`exitQualification`) or register name (`rax`, `x3`). */
  readonly key: string;
  /** Other spellings (`qual`, `a0`); keys match ignoring case, `-` and `_`. */
  readonly aliases: readonly string[];
  /** Where the value goes: a property, or a property and an index/name (`["x", 3]`, `["regs", "rax"]`). */
  readonly path: readonly [string] | readonly [string, string | number];
  /** How its text is read. */
  readonly value: ValueSpec;
  /** True for the key a snapshot cannot go without (the exit reason, ESR, scause). */
  readonly required?: boolean;
  /** One line for `--help` and the playground. */
  readonly help: string;
}

/** One option of a decoder or encoder: its property, its command-line flag and its type. */
export interface OptionSpec {
  /** The property in the options object (`hypercallAbi`). */
  readonly key: string;
  /** The command-line flag without dashes (`abi`), absent when it cannot be given as text. */
  readonly cli?: string;
  /** How the value is checked (and read from text). */
  readonly value: ValueSpec;
  /** One line for `--help`. */
  readonly help: string;
}

/** Explains one register value on its own (`vmexit explain esr 0x93810047`). */
export interface RegisterExplainer<S> {
  /** What the register is (`ESR_EL2`). */
  readonly title: string;
  /** The field tree; `context` supplies other snapshot fields the layout depends on (e.g. `xlen`). */
  explain(value: RegValue, context?: Partial<S>): ExplainNode[];
}

/**
 * A raw state page a codec reads whole (SVM's VMCB): the command line's `--<flag> FILE` gives the
 * snapshot from it, `key=value` arguments add to it.
 */
export interface StatePage<S> {
  /** The command-line flag without dashes (`vmcb`). */
  readonly flag: string;
  /** What the page is (`VMCB`), for help and errors. */
  readonly title: string;
  /** Its size in bytes. */
  readonly size: number;
  /** The snapshot the page holds; a page of another size is a `VmExitError("invalid-argument")`. */
  read(page: Uint8Array): S;
}

/**
 * One exit format behind one interface: decode (with or without the cause), encode, explain,
 * and the schema the command line, the playground and the tests read.
 */
export interface Codec<
  A extends Arch = Arch,
  S = unknown,
  C extends CauseBase<A> = CauseBase<A>,
  DO = unknown,
  EO = unknown,
> {
  /** The registry key. */
  readonly arch: A;
  /** Human name (`Intel VMX`). */
  readonly title: string;
  /** Names on the command line and in playground links, the first canonical (`vmx`, then aliases). */
  readonly names: readonly string[];
  /** The snapshot's keys as text sees them. */
  readonly snapshotKeys: readonly SnapshotKey[];
  /** The options `decode`, `decodeExit` and `explain` accept. */
  readonly decodeOptions: readonly OptionSpec[];
  /** The options `encode` and `canEncode` accept. */
  readonly encodeOptions: readonly OptionSpec[];
  /** Single registers that can be explained on their own, by command-line name (`esr`). */
  readonly registers: Readonly<Record<string, RegisterExplainer<S>>>;
  /** The raw state page the codec can read, when the format has one (SVM: the VMCB). */
  readonly statePage?: StatePage<S>;
  /** Decodes raw exit state into the typed exit and the dissected cause. */
  decode(snapshot: S, options?: DO): DecodedExit<C>;
  /** The same exit as `decode(snapshot, options).exit`, without building the cause. */
  decodeExit(snapshot: S, options?: DO): VmExit;
  /** A snapshot that decodes back to `exit`; `VmExitError("unrepresentable")` when there is none. */
  encode(exit: VmExit, options?: EO): S;
  /** Whether `encode(exit, options)` succeeds. */
  canEncode(exit: VmExit, options?: EO): boolean;
  /** The bit-field trees of every register in the snapshot. */
  explain(snapshot: S, options?: DO): ExplainNode[];
}

/** Any codec, whatever its types (what code that iterates the registry sees). */
// biome-ignore lint/suspicious/noExplicitAny: the registry's entries differ in every type parameter
export type AnyCodec = Codec<Arch, any, CauseBase, any, any>;
