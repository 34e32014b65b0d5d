// Snapshots to and from `key=value` text, driven by a codec's `snapshotKeys`: the command line's
// `vmexit decode vmx reason=48 qual=0x181` and the playground's `#/vmx?reason=48&qual=0x181`.

import { checkArg } from "./check-arg";
import type { SnapshotKey } from "./codec";
import { show, VmExitError } from "./error";
import { formatFieldValue, parseValue } from "./text";

/** The form keys are compared in: lowercase, without `-` and `_` (`exit-info1` = `exitInfo1`). */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

/** Finds the snapshot key spelled `name` (the key or one of its aliases, ignoring case, `-`, `_`). */
export function findSnapshotKey(
  keys: readonly SnapshotKey[],
  name: string,
): SnapshotKey | undefined {
  const n = normalizeKey(name);
  for (const k of keys) {
    if (normalizeKey(k.key) === n) return k;
    for (const a of k.aliases) if (normalizeKey(a) === n) return k;
  }
  return undefined;
}

/**
 * Builds a snapshot from `[key, text]` pairs read by `keys` (a codec's `snapshotKeys`) and
 * returns it. An unknown key, a value that does not parse, a key given twice or a missing
 * required key is a `VmExitError("invalid-argument")` (`"missing-register"` for the required
 * key) naming the key.
 * @example snapshotFromText(codecs["x86-vmx"].snapshotKeys, [["reason", "HLT"]]) // { exitReason: 12 }
 */
export function snapshotFromText(
  keys: readonly SnapshotKey[],
  pairs: Iterable<readonly [string, string]>,
): Record<string, unknown> {
  checkArg(keys, "snapshotKeys", "keys");
  checkArg(pairs, "iterable", "pairs");
  const out: Record<string, unknown> = {};
  const seen = new Set<SnapshotKey>();
  let index = 0;
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      const field = `pairs[${index}]`;
      throw new VmExitError(
        "invalid-argument",
        `${field} must be a [key, text] pair of strings, got ${show(pair)}`,
        field,
      );
    }
    index++;
    const [name, text] = pair as readonly [string, string];
    const spec = findSnapshotKey(keys, name);
    if (spec === undefined) {
      throw new VmExitError(
        "invalid-argument",
        `unknown snapshot key ${show(name)} (keys: ${keys.map((k) => k.key).join(", ")})`.slice(
          0,
          200,
        ),
        name,
      );
    }
    if (seen.has(spec)) {
      throw new VmExitError("invalid-argument", `${spec.key} is given twice`, spec.key);
    }
    seen.add(spec);
    const v = parseValue(spec.value, text, spec.key);
    const [prop, slot] = spec.path;
    if (slot === undefined) {
      out[prop] = v;
    } else {
      if (out[prop] === undefined) out[prop] = typeof slot === "number" ? [] : {};
      (out[prop] as Record<string | number, unknown>)[slot] = v;
    }
  }
  for (const k of keys) {
    if (k.required === true && !seen.has(k)) {
      throw new VmExitError("missing-register", `the snapshot needs ${k.key}=…`, k.key);
    }
  }
  return out;
}

/**
 * Writes the snapshot's values back as `[key, text]` pairs that `snapshotFromText` reads, in the
 * order of `keys`, each under its first alias (absent values left out); a value its key cannot
 * hold is a `VmExitError("invalid-argument")` naming the key.
 * @example snapshotToText(codecs["x86-vmx"].snapshotKeys, { exitReason: 12 }) // [["reason", "0xc"]]
 */
export function snapshotToText(keys: readonly SnapshotKey[], snapshot: object): [string, string][] {
  checkArg(keys, "snapshotKeys", "keys");
  checkArg(snapshot, "object", "snapshot");
  const out: [string, string][] = [];
  const s = snapshot as Record<string, unknown>;
  for (const k of keys) {
    const [prop, slot] = k.path;
    const holder = s[prop];
    const v =
      slot === undefined
        ? holder
        : typeof holder === "object" && holder !== null
          ? (holder as Record<string | number, unknown>)[slot]
          : undefined;
    if (v !== undefined) out.push([k.aliases[0] ?? k.key, formatFieldValue(k.value, v, k.key)]);
  }
  return out;
}
