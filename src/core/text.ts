// The library's one reading of numbers and values given as text: the command line, the
// playground's fields and its URL hash all go through here, so they accept the same spellings.
import type { ValueSpec } from "./codec";
import type { RegValue } from "./decoded";
import { show, VmExitError } from "./error";
import { U64_MAX } from "./u64";

// Decimal, or 0x hex; `_` only between two digits (`0xffff_0000`, `1_000`).
const DECIMAL = /^[0-9](?:_?[0-9])*$/;
const HEX = /^0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*$/;

function reject(field: string, text: string, what: string): never {
  throw new VmExitError("invalid-argument", `${field} must be ${what}, got ${show(text)}`, field);
}

/**
 * Reads an unsigned integer written in decimal or `0x` hex, with `_` allowed between digits,
 * and checks it fits in `bits` bits. Anything else is a `VmExitError` naming `field`.
 * @example parseUnsigned("0x9300_0047", "esr") // 0x93000047n
 */
export function parseUnsigned(text: string, field: string, bits: 32 | 64 = 64): bigint {
  if (typeof text !== "string") reject(field, String(text), "text");
  const t = text.trim();
  if (t.startsWith("-") && (DECIMAL.test(t.slice(1)) || HEX.test(t.slice(1)))) {
    throw new VmExitError(
      "out-of-range",
      `${field} must be a non-negative integer, got the negative value ${show(text)}`,
      field,
    );
  }
  if (!DECIMAL.test(t) && !HEX.test(t)) {
    reject(field, text, "an unsigned integer in decimal or 0x hex (`_` between digits allowed)");
  }
  const v = BigInt(t.replaceAll("_", ""));
  const max = bits === 64 ? U64_MAX : 0xffff_ffffn;
  if (v > max) {
    throw new VmExitError(
      "out-of-range",
      `${field} must fit in ${bits} bits, got ${show(text)}`,
      field,
    );
  }
  return v;
}

/** Reads bytes written as hex pairs, optionally separated by spaces, commas or colons (`8b 07`, `0x8b07`). */
export function parseBytes(text: string, field: string): number[] {
  const t = text.replace(/[\s,:]/g, "").replace(/^0x/i, "");
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) {
    reject(field, text, 'hex bytes such as "8b07" or "8b:07"');
  }
  const out: number[] = [];
  for (let i = 0; i < t.length; i += 2) out.push(Number.parseInt(t.slice(i, i + 2), 16));
  return out;
}

/** Reads the text of one value by its spec: the value a snapshot or options object holds. */
export function parseValue(spec: ValueSpec, text: string, field: string): unknown {
  switch (spec.type) {
    case "u64":
      return parseUnsigned(text, field, 64);
    case "u32":
      return Number(parseUnsigned(text, field, 32));
    case "bytes":
      return parseBytes(text, field);
    case "choice": {
      for (const v of spec.values) if (String(v) === text) return v;
      return reject(field, text, `one of ${spec.values.join(", ")}`);
    }
    case "named": {
      const named: RegValue | undefined = spec.lookup(text);
      if (named !== undefined) return named;
      const t = text.trim();
      if (!DECIMAL.test(t) && !HEX.test(t) && !t.startsWith("-")) {
        reject(field, text, "a name or an unsigned integer in decimal or 0x hex");
      }
      const v = parseUnsigned(text, field, spec.bits);
      return spec.bits === 32 ? Number(v) : v;
    }
    case "boolean":
      if (text === "true" || text === "1" || text === "") return true;
      if (text === "false" || text === "0") return false;
      return reject(field, text, "true or false");
    case "function":
      return reject(field, text, "a function (it cannot be given as text)");
  }
}

/** Writes a value back as the text `parseValue` reads (hex for integers, hex pairs for bytes). */
export function formatValue(spec: ValueSpec, value: unknown): string {
  if (spec.type === "bytes" && (Array.isArray(value) || ArrayBuffer.isView(value))) {
    return Array.from(value as ArrayLike<number>, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  if (spec.type === "choice" || spec.type === "boolean") return String(value);
  if (typeof value === "bigint" || typeof value === "number") return `0x${value.toString(16)}`;
  return String(value);
}
