// The decoded exit (`formatExit` and its JSON form) and the cause, as the page shows them.
import { h } from "./dom";
import { toJSONText } from "./json";
import { type DecodedExit, exitToJSON, formatExit } from "./lib";

function show(value: unknown): Node | string {
  if (typeof value === "bigint") return h("code", {}, `0x${value.toString(16)}`);
  if (typeof value === "number") {
    return h(
      "code",
      {},
      Number.isInteger(value) && value > 9 ? `${value} (0x${value.toString(16)})` : String(value),
    );
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return entries(value as Record<string, unknown>);
  }
  if (typeof value === "object") return h("code", {}, toJSONText(value, 0));
  return h("code", {}, String(value));
}

function entries(record: Record<string, unknown>): HTMLElement {
  return h(
    "dl",
    { class: "cause" },
    ...Object.entries(record)
      .filter(([, v]) => v !== undefined)
      .flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, show(v))]),
  );
}

/** The exit as `formatExit` prints it and as `exitToJSON` writes it. */
export function exitView(decoded: DecodedExit<unknown>): HTMLElement {
  return h(
    "section",
    { class: "exit" },
    h("h3", {}, "Exit"),
    h("pre", { class: "format-exit" }, formatExit(decoded.exit)),
    h(
      "details",
      { open: true },
      h("summary", {}, "JSON"),
      h("pre", { class: "exit-json" }, toJSONText(exitToJSON(decoded.exit))),
    ),
  );
}

/** The decoder's cause: its name and class, then every property. */
export function causeView(decoded: DecodedExit<unknown>): HTMLElement {
  const cause = decoded.cause as unknown as Record<string, unknown> & {
    name: string;
    class: string;
  };
  return h(
    "section",
    { class: "cause" },
    h("h3", {}, "Cause ", h("span", { class: "cause-name" }, `${cause.name} · ${cause.class}`)),
    entries(cause),
  );
}
