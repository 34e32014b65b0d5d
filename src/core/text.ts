// The library's one reading of numbers and values given as text: the command line, the
// playground's fields and its URL hash all go through here, so they accept the same spellings.

import { checkArg } from "./check-arg";
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
 * and checks it fits in `bits` bits. Anything else (`0b1`, `1e3`, `0x_1`, a negative number) is a
 * `VmExitError` naming `field`: `"out-of-range"` for a negative or too large value,
 * `"invalid-argument"` otherwise.
 * @example parseUnsigned("0x9300_0047", "esr") // 0x93000047n
 */
export function parseUnsigned(text: string, field: string, bits: 32 | 64 = 64): bigint {
  checkArg(field, "string", "field");
  checkArg(text, "string", field);
  checkArg(bits, "bits", "bits");
  return readUnsigned(text, field, bits);
}

function readUnsigned(text: string, field: string, bits: 32 | 64): bigint {
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

/**
 * Reads bytes written as hex pairs, optionally separated by spaces, commas or colons, with an
 * optional `0x` (`8b 07`, `8b:07`, `0x8b07`); anything else is a `VmExitError("invalid-argument")`.
 * @example parseBytes("8b 07", "instructionBytes") // [0x8b, 0x07]
 */
export function parseBytes(text: string, field: string): number[] {
  checkArg(field, "string", "field");
  checkArg(text, "string", field);
  return readBytes(text, field);
}

function readBytes(text: string, field: string): number[] {
  const t = text.replace(/[\s,:]/g, "").replace(/^0x/i, "");
  if (t.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(t)) {
    reject(field, text, 'hex bytes such as "8b07" or "8b:07"');
  }
  const out: number[] = [];
  for (let i = 0; i < t.length; i += 2) out.push(Number.parseInt(t.slice(i, i + 2), 16));
  return out;
}

/**
 * Reads the text of one value by its spec (a snapshot key's or an option's `value`) into what a
 * snapshot or options object holds; text the spec does not accept is a `VmExitError` naming
 * `field`.
 * @example parseValue({ type: "u32" }, "0x1e", "exitReason") // 30
 */
export function parseValue(spec: ValueSpec, text: string, field: string): unknown {
  checkArg(spec, "valueSpec", "spec");
  checkArg(field, "string", "field");
  checkArg(text, "string", field);
  switch (spec.type) {
    case "u64":
      return readUnsigned(text, field, 64);
    case "u32":
      return Number(readUnsigned(text, field, 32));
    case "bytes":
      return readBytes(text, field);
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
      const v = readUnsigned(text, field, spec.bits);
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

/**
 * Writes a value back as the text `parseValue` reads: hex for integers, hex pairs for bytes, the
 * value itself for choices and booleans.
 * @example formatValue({ type: "bytes" }, [0x8b, 0x07]) // "8b07"
 */
export function formatValue(spec: ValueSpec, value: unknown): string {
  checkArg(spec, "valueSpec", "spec");
  return formatFieldValue(spec, value, "value");
}

/** `formatValue` with the rejected value named `field`. */
export function formatFieldValue(spec: ValueSpec, value: unknown, field: string): string {
  switch (spec.type) {
    case "bytes":
      if (value instanceof Uint8Array || isByteArray(value)) {
        return Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("");
      }
      return refuse(field, value, "bytes (a Uint8Array or an array of integers in 0…255)");
    case "choice":
      if (spec.values.includes(value as string | number)) return String(value);
      return refuse(field, value, `one of ${spec.values.join(", ")}`);
    case "boolean":
      if (typeof value === "boolean") return String(value);
      return refuse(field, value, "a boolean");
    case "function":
      return refuse(field, value, "a value that can be written as text (a function cannot)");
    default: {
      const max = spec.type === "u32" || (spec.type === "named" && spec.bits === 32) ? 32 : 64;
      if (isUnsigned(value, max)) return `0x${value.toString(16)}`;
      return refuse(field, value, `an unsigned integer of at most ${max} bits`);
    }
  }
}

function isByteArray(v: unknown): v is readonly number[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const b: unknown = v[i];
    if (!(typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255)) return false;
  }
  return true;
}

function isUnsigned(v: unknown, bits: 32 | 64): v is bigint | number {
  if (typeof v === "number")
    return Number.isSafeInteger(v) && v >= 0 && (bits === 64 || v <= 0xffff_ffff);
  return typeof v === "bigint" && v >= 0n && v <= (bits === 64 ? U64_MAX : 0xffff_ffffn);
}

function refuse(field: string, value: unknown, what: string): never {
  throw new VmExitError("invalid-argument", `${field} must be ${what}, got ${show(value)}`, field);
}
