// The URL hash is the page's state: `#/<tab>?key=value&…`, the tab a codec's link name (or
// `trace`) and the pairs the same `key=value` text the command line reads.

/** A parsed hash: the tab name as written and the `key=value` pairs in order. */
export interface Route {
  /** The tab name after `#/`, lowercase (`vmx`, `aarch64`, `trace`); empty for no hash. */
  readonly tab: string;
  /** The query pairs, decoded, in order (a key may repeat; the snapshot reader rejects that). */
  readonly params: readonly (readonly [string, string])[];
}

/** Reads `#/vmx?reason=48&qual=0x181` (a leading `#` optional; `/` before the name optional). */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, "").replace(/^\//, "");
  const q = text.indexOf("?");
  const tab = decodePart(q === -1 ? text : text.slice(0, q))
    .replace(/\/+$/, "")
    .toLowerCase();
  const params: [string, string][] = [];
  if (q !== -1) {
    for (const part of text.slice(q + 1).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      const key = decodePart(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? "" : decodePart(part.slice(eq + 1));
      params.push([key, value]);
    }
  }
  return { tab, params };
}

function decodePart(text: string): string {
  const spaced = text.replaceAll("+", " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A lone `%` is text, not an escape: keep it as typed.
    return spaced;
  }
}

// Escapes what would break the hash, and keeps the separators of byte lists readable.
function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/%(3A|2C|20)/gi, (_m, c: string) =>
    c.toUpperCase() === "20" ? "+" : c.toUpperCase() === "3A" ? ":" : ",",
  );
}

/** Writes the hash of a tab and its pairs: `#/vmx?reason=48&qual=0x181`. */
export function formatRoute(tab: string, params: readonly (readonly [string, string])[]): string {
  const query = params.map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`).join("&");
  return query === "" ? `#/${tab}` : `#/${tab}?${query}`;
}
