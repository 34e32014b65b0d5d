// From a reconstructed snapshot to the item's exit: one registry decode when the trace holds
// everything the exit needs; otherwise the variant's kind and the fields the trace does
// determine, and the names of the others — never a value the trace does not hold.
//
// When the decoder reports a missing value (`missing-register`, naming a snapshot key), the same
// snapshot is decoded again with that key set to three different fillers (0, all ones, 0x55…):
// the fields of the exit that come out the same whatever the filler are known, the others are
// missing. Whether the kind itself depends on the missing values is the reconstruction's call
// (`kindChosenByGuest`): a guest register chooses the kind of an MSR write, a PSCI call or an SBI
// call, and no filler can tell which.
import type { AnyCodec, SnapshotKey } from "../../core/codec";
import type { DecodedExit } from "../../core/decoded";
import { VmExitError } from "../../core/error";
import type { ExitKind, VmExit } from "../../core/exit";
import type { AccessWidth } from "../../core/scalars/access-width";
import type { GuestPhysAddr } from "../../core/scalars/guest-phys-addr";
import { mmioWrite } from "../../core/unchecked";

/** What the trace determines of one exit, ready for the decoder. */
export interface Reconstruction {
  /** The codec that decodes it (undefined: no codec for this format in the registry). */
  readonly codec: AnyCodec | undefined;
  /** The snapshot built from the `kvm_exit` line and its companions (what the trace says). */
  readonly snapshot: Record<string, unknown>;
  /** The snapshot handed to the decoder when it differs: MMIO write data placed in every register the trace lacks. */
  readonly decodeSnapshot: Record<string, unknown> | undefined;
  /** Decoder options for this exit. */
  readonly options: unknown;
  /** True when guest values the trace lacks choose the kind (see the file comment). */
  readonly kindChosenByGuest: boolean;
  /** Kinds that, when decoded from fillers, are only one of several possible kinds. */
  readonly uncertainKinds: readonly ExitKind[] | undefined;
  /** Variant fields the decoder reads from values the reconstruction had to invent (`reg` from an unknown Rt). */
  readonly unknownFields: readonly string[] | undefined;
  /** The emulated access `kvm_mmio` shows, when the snapshot has no instruction to decode. */
  readonly mmio:
    | {
        readonly write: boolean;
        readonly gpa: number | bigint;
        readonly len: number;
        readonly val: number | bigint;
      }
    | undefined;
  /** When the trace settles a partial exit without the decoder: its known part and missing fields. */
  readonly fixed:
    | { readonly partial: PartialExit; readonly missing: readonly string[] }
    | undefined;
  /** Why the exit cannot be decoded at all. */
  readonly reason: VmExitError | undefined;
  /**
   * A number naming the exit's class (format, code, companions seen): exits of a class that
   * went partial once are looked up in the outcome memo before the decoder runs. Only a hint.
   */
  readonly classId: number | undefined;
}

/** A reconstruction being built: every member present (one object shape for every exit). */
export type ReconstructionDraft = { -readonly [K in keyof Reconstruction]: Reconstruction[K] };

/**
 * A reconstruction with `codec`, `snapshot`, `options` and `kindChosenByGuest` and the other
 * members unset, for the caller to fill in (written out: every exit gets the same object shape).
 */
export function reconstruction(
  codec: AnyCodec | undefined,
  snapshot: Record<string, unknown>,
  options: unknown,
  kindChosenByGuest: boolean,
): ReconstructionDraft {
  return {
    codec,
    snapshot,
    decodeSnapshot: undefined,
    options,
    kindChosenByGuest,
    uncertainKinds: undefined,
    unknownFields: undefined,
    mmio: undefined,
    fixed: undefined,
    reason: undefined,
    classId: undefined,
  };
}

/** A partially known exit: its kind and the fields the trace determines. */
export type PartialExit = {
  [K in ExitKind]: { readonly kind: K } & Partial<Omit<Extract<VmExit, { kind: K }>, "kind">>;
}[ExitKind];

/** The outcome for one exit (a fresh object; the decoder's exit and cause are kept as they are). */
export interface Completion {
  /** The exit, when every field is known. */
  exit?: VmExit | undefined;
  /** The decoder's cause, when it decoded the reconstructed snapshot. */
  cause?: unknown;
  /** The kind and known fields, when some are not. */
  partial?: PartialExit | undefined;
  /** The variant fields the trace does not determine (`["kind"]` when not even the kind). */
  missing?: readonly string[] | undefined;
  /** Why the exit is not complete (the decoder's error, or the reason it could not run). */
  error?: VmExitError | undefined;
}

const FILLS_U64: readonly bigint[] = [0n, 0xffff_ffff_ffff_ffffn, 0x5555_5555_5555_5555n];
const FILLS_U32: readonly number[] = [0, 0xffff_ffff, 0x5555_5555];
const MAX_FILLED = 40;

function decodeWith(
  codec: AnyCodec,
  snapshot: unknown,
  options: unknown,
  cause: boolean,
): DecodedExit<unknown> {
  if (cause) return codec.decode(snapshot, options);
  return { exit: codec.decodeExit(snapshot, options), cause: undefined };
}

/** The snapshot key a `missing-register` error names (`regs.rax`, `x3`, `guestPhysicalAddress`). */
function keyOf(codec: AnyCodec, field: string | undefined): SnapshotKey | undefined {
  if (field === undefined) return undefined;
  for (const k of codec.snapshotKeys) {
    const [prop, slot] = k.path;
    if (k.key === field || k.aliases.includes(field)) return k;
    if (slot !== undefined && (`${prop}.${slot}` === field || `${prop}[${slot}]` === field))
      return k;
  }
  return undefined;
}

/** A copy of `snapshot` with `key` set to `value` (containers copied on write). */
function withValue(
  snapshot: Record<string, unknown>,
  key: SnapshotKey,
  value: unknown,
): Record<string, unknown> {
  const out = { ...snapshot };
  const [prop, slot] = key.path;
  if (slot === undefined) {
    out[prop] = value;
  } else if (typeof slot === "number") {
    const arr = Array.isArray(out[prop]) ? [...(out[prop] as unknown[])] : [];
    arr[slot] = value;
    out[prop] = arr;
  } else {
    out[prop] = { ...((out[prop] as object | undefined) ?? {}), [slot]: value };
  }
  return out;
}

function fill(key: SnapshotKey, i: number): unknown {
  if (key.value.type === "u64") return FILLS_U64[i];
  if (key.value.type === "u32") return FILLS_U32[i];
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}

/** Decodes the snapshot with every key the decoder asks for filled by filler `i`. */
function decodeFilled(
  rec: Reconstruction,
  codec: AnyCodec,
  filled: SnapshotKey[],
  i: number,
): VmExit | VmExitError {
  let snapshot = rec.decodeSnapshot ?? rec.snapshot;
  for (const k of filled) snapshot = withValue(snapshot, k, fill(k, i));
  for (;;) {
    try {
      return codec.decodeExit(snapshot, rec.options);
    } catch (e) {
      if (!(e instanceof VmExitError)) throw e;
      if (e.code !== "missing-register" || filled.length >= MAX_FILLED) return e;
      const k = keyOf(codec, e.field);
      if (k === undefined || filled.includes(k) || fill(k, i) === undefined) return e;
      filled.push(k);
      snapshot = withValue(snapshot, k, fill(k, i));
    }
  }
}

function widthOf(len: number): AccessWidth | undefined {
  return len === 1 || len === 2 || len === 4 || len === 8 ? (len as AccessWidth) : undefined;
}

/** The MMIO access `kvm_mmio` shows, as the exit (a write) or a partial (a read: the register is the instruction's). */
function fromMmio(rec: Reconstruction, out: Completion): boolean {
  const m = rec.mmio;
  if (m === undefined) return false;
  const width = widthOf(m.len);
  if (width === undefined) return false;
  const gpa = BigInt(m.gpa);
  const isMmio = (rec.options as { isMmio?: (gpa: bigint) => boolean } | undefined)?.isMmio;
  if (isMmio !== undefined && !isMmio(gpa)) return false;
  if (m.write) {
    const mask = width === 8 ? 0xffff_ffff_ffff_ffffn : (1n << BigInt(width * 8)) - 1n;
    out.exit = mmioWrite(gpa, width, BigInt(m.val) & mask);
    out.partial = undefined;
    out.missing = undefined;
  } else {
    out.exit = undefined;
    out.partial = { kind: "MmioRead", addr: gpa as GuestPhysAddr, width };
    out.missing = ["reg", "regWidth", "signedExt"];
  }
  return true;
}

/** Removes `fields` from a complete exit, making it partial. */
function withoutFields(exit: VmExit, fields: readonly string[], out: Completion): void {
  const present = fields.filter((f) => f in exit);
  if (present.length === 0) {
    out.exit = exit;
    return;
  }
  const partial: Record<string, unknown> = { ...exit };
  for (const f of present) delete partial[f];
  out.partial = partial as PartialExit;
  out.missing = present;
}

/**
 * The exit the trace determines, or its partial form: decodes the reconstruction through its codec
 * (building the cause when `cause` is true).
 */
export function completeExit(rec: Reconstruction, cause: boolean): Completion {
  return complete(rec, cause);
}

/** What decoding with fillers says of a snapshot: the partial exit, or that the kind is unknown. */
interface FillOutcome {
  /** The exit, when the missing values reach only the cause. */
  readonly exit?: VmExit;
  /** The kind and known fields. */
  readonly partial?: PartialExit;
  /** The fields the fillers changed (`["kind"]`: the kind itself). */
  readonly missing: readonly string[];
  /** The decoder's first error. */
  readonly error: VmExitError;
}

// Partial exits repeat (the same register write, the same call without its companion): their
// outcome is kept by snapshot, so the three filler decodes run once per distinct snapshot. Which
// exit classes went partial before is remembered too, so that their snapshots are looked up
// before the decoder is asked (a decode that fails costs more than the lookup).
const MEMO_LIMIT = 4096;
const memo = new Map<string, FillOutcome>();
const partialClasses = new Set<number>();
const optionIds = new WeakMap<object, number>();
let nextOptionId = 1;

function keyOfValue(v: unknown): string {
  if (typeof v === "bigint") return `n${v.toString(16)}`;
  if (typeof v === "number") return v.toString(16);
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += `${v[i] === undefined ? "" : keyOfValue(v[i])},`;
    return `${out}]`;
  }
  if (typeof v === "object" && v !== null) {
    let out = "{";
    for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      // the guest's RIP reaches no exit field (it would make every exit's key its own)
      if (x !== undefined && k !== "rip") out += `${k}:${keyOfValue(x)};`;
    }
    return `${out}}`;
  }
  return String(v);
}

function memoKey(rec: Reconstruction, snapshot: object): string {
  const o = rec.options;
  let id = 0;
  if (typeof o === "object" && o !== null) {
    id = optionIds.get(o) ?? 0;
    if (id === 0) {
      id = nextOptionId++;
      optionIds.set(o, id);
    }
  }
  return `${rec.codec?.arch}|${id}|${rec.kindChosenByGuest ? 1 : 0}|${rec.uncertainKinds?.join() ?? ""}|${
    rec.unknownFields?.join() ?? ""
  }|${keyOfValue(snapshot)}`;
}

function remember(key: string, outcome: FillOutcome): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, outcome);
}

/** The outcome of decoding with fillers (after the decoder reported `first`). */
function fillOutcome(rec: Reconstruction, codec: AnyCodec, first: VmExitError): FillOutcome {
  const unknownKind: FillOutcome = { missing: ["kind"], error: first };
  if (first.code !== "missing-register" || rec.kindChosenByGuest) return unknownKind;
  const filled: SnapshotKey[] = [];
  const e0 = decodeFilled(rec, codec, filled, 0);
  const e1 = e0 instanceof VmExitError ? e0 : decodeFilled(rec, codec, filled, 1);
  const e2 = e1 instanceof VmExitError ? e1 : decodeFilled(rec, codec, filled, 2);
  if (e0 instanceof VmExitError || e1 instanceof VmExitError || e2 instanceof VmExitError) {
    return unknownKind;
  }
  if (
    e0.kind !== e1.kind ||
    e0.kind !== e2.kind ||
    rec.uncertainKinds?.includes(e0.kind) === true
  ) {
    return unknownKind;
  }
  const partial: Record<string, unknown> = { kind: e0.kind };
  const missing: string[] = [];
  const a = e0 as unknown as Record<string, unknown>;
  const b = e1 as unknown as Record<string, unknown>;
  const c = e2 as unknown as Record<string, unknown>;
  for (const f of Object.keys(a)) {
    if (f === "kind") continue;
    if (sameValue(a[f], b[f]) && sameValue(a[f], c[f]) && rec.unknownFields?.includes(f) !== true) {
      partial[f] = a[f];
    } else missing.push(f);
  }
  // no field changed: the missing value reaches only the cause, and the exit is known
  if (missing.length === 0) return { exit: e0, missing, error: first };
  return { partial: partial as PartialExit, missing, error: first };
}

function fromOutcome(rec: Reconstruction, o: FillOutcome, out: Completion): Completion {
  const kind = o.exit?.kind ?? o.partial?.kind;
  if ((kind === "NestedPageFault" || kind === "Nothing") && fromMmio(rec, out)) return out;
  if (o.exit !== undefined) {
    out.exit = o.exit;
    return out;
  }
  out.error = o.error;
  out.missing = o.missing;
  if (o.partial !== undefined) out.partial = o.partial;
  return out;
}

function complete(rec: Reconstruction, cause: boolean): Completion {
  const out: Completion = {
    exit: undefined,
    cause: undefined,
    partial: undefined,
    missing: undefined,
    error: undefined,
  };
  if (rec.reason !== undefined) {
    out.error = rec.reason;
    out.missing = ["kind"];
    return out;
  }
  if (rec.fixed !== undefined) {
    out.partial = rec.fixed.partial;
    out.missing = rec.fixed.missing;
    return out;
  }
  const codec = rec.codec as AnyCodec;
  const snapshot = rec.decodeSnapshot ?? rec.snapshot;
  let key: string | undefined;
  const cls = rec.classId;
  if (cls !== undefined && partialClasses.has(cls)) {
    key = memoKey(rec, snapshot);
    const hit = memo.get(key);
    if (hit !== undefined) return fromOutcome(rec, hit, out);
  }
  let first: VmExitError;
  try {
    const d = decodeWith(codec, snapshot, rec.options, cause);
    const k = d.exit.kind;
    if ((k === "NestedPageFault" || k === "Nothing") && fromMmio(rec, out)) return out;
    if (cause) out.cause = d.cause;
    if (rec.unknownFields !== undefined) withoutFields(d.exit, rec.unknownFields, out);
    else out.exit = d.exit;
    return out;
  } catch (e) {
    if (!(e instanceof VmExitError)) throw e;
    first = e;
  }
  if (cls !== undefined) {
    if (partialClasses.size >= MEMO_LIMIT) partialClasses.clear();
    partialClasses.add(cls);
  }
  key ??= memoKey(rec, snapshot);
  let outcome = memo.get(key);
  if (outcome === undefined) {
    outcome = fillOutcome(rec, codec, first);
    remember(key, outcome);
  }
  return fromOutcome(rec, outcome, out);
}
