import { VmExitError } from "../core/error";
import { CliError } from "./error";

const NUMBER = /^(?:0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i;

/** Parses a command-line integer (`0x…`, `0b…`, `0o…` or decimal, `_` allowed) as a bigint. */
export function parseBigint(text: string, what: string): bigint {
  const t = text.replace(/_/g, "");
  if (!NUMBER.test(t)) {
    throw new CliError(`${what} must be a non-negative integer (decimal or 0x…), got "${text}"`);
  }
  return BigInt(t.toLowerCase());
}

/** Parses a command-line integer that must fit in 32 bits. */
export function parseU32(text: string, what: string): number {
  const v = parseBigint(text, what);
  if (v > 0xffff_ffffn) throw new CliError(`${what} must fit in 32 bits, got "${text}"`);
  return Number(v);
}

/** Parses bytes given as hex pairs, optionally separated by spaces, commas or colons (`8b 0a`, `8b:0a`). */
export function parseBytes(text: string, what: string): number[] {
  const t = text.replace(/[\s,:]/g, "").replace(/^0x/i, "");
  if (t.length === 0 || t.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(t)) {
    throw new CliError(`${what} must be hex bytes such as "8b0a" or "8b:0a", got "${text}"`);
  }
  const out: number[] = [];
  for (let i = 0; i < t.length; i += 2) out.push(Number.parseInt(t.slice(i, i + 2), 16));
  return out;
}

/** Turns a library rejection into a one-line command-line message. */
export function describeError(e: unknown): string {
  if (e instanceof VmExitError || e instanceof CliError) return e.message;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === "string" ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}
