// JSON text of values that hold bigints (causes, explain trees): bigints as "0x…" strings, as
// the library's own JSON forms write them.

/** `JSON.stringify` with bigints as lowercase `"0x…"` strings and `undefined` members left out. */
export function toJSONText(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v),
    indent,
  );
}
