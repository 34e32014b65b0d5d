import { toJSONValue } from "../trace/json";

function formatCauseValue(v: unknown): string {
  if (typeof v === "bigint") return `0x${v.toString(16)}`;
  if (typeof v === "number")
    return Number.isInteger(v) && v > 9 ? `${v} (0x${v.toString(16)})` : String(v);
  if (typeof v === "object" && v !== null) return JSON.stringify(toJSONValue(v));
  return String(v);
}

/** Renders a decoder's cause as indented `key: value` lines (bigints hex, objects as JSON). */
export function formatCause(cause: object): string {
  const lines = ["cause:"];
  for (const [k, v] of Object.entries(cause)) {
    if (v !== undefined) lines.push(`  ${k}: ${formatCauseValue(v)}`);
  }
  return lines.join("\n");
}
