// One decoder tab, built from a codec's schema alone: fields for its snapshot keys and options,
// and on every edit the bit tables, the exit and the cause, or each error beside its field.
import { explainView } from "./bit-table";
import { h, replace } from "./dom";
import { EXAMPLES } from "./examples";
import { type Field, optionField, setFieldError, snapshotField } from "./fields";
import {
  type AnyCodec,
  type DecodedExit,
  type ExplainNode,
  findSnapshotKey,
  parseValue,
  snapshotFromText,
  VmExitError,
} from "./lib";
import { causeView, exitView } from "./result";
import { parseRoute } from "./route";
import type { Pairs, Tab } from "./tab";

const normalize = (s: string) => s.toLowerCase().replace(/[-_]/g, "");

/** The message of a rejection: a `VmExitError`'s own, anything else marked as a bug. */
export function messageOf(e: unknown): string {
  if (e instanceof VmExitError) return e.message;
  return `internal error (please report): ${e instanceof Error ? e.message : String(e)}`;
}

/** The decoder tab of `codec`; `changed` is called after every edit. */
export function codecTab(codec: AnyCodec, changed: () => void): Tab {
  const name = codec.names[0] ?? codec.arch;
  const fields = codec.snapshotKeys.map((k) => snapshotField(name, k));
  const options = codec.decodeOptions.flatMap((o) => optionField(`${name}-option`, o) ?? []);
  const all = [...fields, ...options];
  const plain = fields.filter((f) => f.key?.path.length === 1);
  const registers = fields.filter((f) => f.key?.path.length === 2);

  const registerGroup = h(
    "details",
    { class: "group" },
    h("summary", {}, `Guest registers (${registers.length})`),
    h("div", { class: "grid registers" }, ...registers.map((f) => f.row)),
  );
  const optionGroup =
    options.length === 0
      ? null
      : h(
          "details",
          { class: "group" },
          h("summary", {}, "Decoder options"),
          h("div", { class: "grid" }, ...options.map((f) => f.row)),
        );
  const general = h("div", { class: "form-error", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "snapshot", novalidate: true, "aria-label": `${codec.title} exit state` },
    h("div", { class: "grid" }, ...plain.map((f) => f.row)),
    registerGroup,
    optionGroup,
    general,
  );
  const output = h("div", { class: "output" });
  const section = h(
    "section",
    { id: `tab-${name}`, class: "tab", "aria-labelledby": `tab-${name}-title`, hidden: true },
    h("h2", { id: `tab-${name}-title` }, codec.title),
    form,
    output,
  );

  let notes: string[] = [];
  const groupOf = (f: Field) =>
    registers.includes(f) ? registerGroup : options.includes(f) ? optionGroup : null;

  function fieldFor(field: string | undefined): Field | undefined {
    if (field === undefined) return undefined;
    const parts = [
      field,
      ...field
        .split(/[.[\]]/)
        .filter((p) => p !== "")
        .reverse(),
    ];
    for (const part of parts) {
      const key = findSnapshotKey(codec.snapshotKeys, part);
      if (key !== undefined) return fields.find((f) => f.key === key);
      const n = normalize(part);
      const o = options.find(
        (f) => normalize(f.name) === n || normalize(f.option?.key ?? "") === n,
      );
      if (o !== undefined) return o;
    }
    return undefined;
  }

  const generalErrors: string[] = [];
  function reject(e: unknown): string {
    const message = messageOf(e);
    const f = e instanceof VmExitError ? fieldFor(e.field) : undefined;
    if (f === undefined) generalErrors.push(message);
    else {
      setFieldError(f, message);
      const group = groupOf(f);
      if (group !== null) group.open = true;
    }
    if (!(e instanceof VmExitError)) console.error(e);
    return message;
  }

  function update(): void {
    generalErrors.length = 0;
    for (const f of all) setFieldError(f, "");
    const pairs: [string, string][] = [];
    let bad = 0;
    for (const f of fields) {
      const text = f.control.value.trim();
      if (text === "") continue;
      try {
        parseValue(f.value, text, (f.key as { key: string }).key);
        pairs.push([f.name, text]);
      } catch (e) {
        reject(e);
        bad++;
      }
    }
    const opts: Record<string, unknown> = {};
    for (const f of options) {
      const text = f.control.value.trim();
      if (text === "" || f.option === undefined) continue;
      try {
        opts[f.option.key] = parseValue(f.value, text, f.option.key);
      } catch (e) {
        reject(e);
        bad++;
      }
    }
    let snapshot: unknown;
    if (bad === 0) {
      try {
        snapshot = snapshotFromText(codec.snapshotKeys, pairs);
      } catch (e) {
        reject(e);
      }
    }
    if (snapshot === undefined) {
      renderGeneral();
      replace(
        output,
        h(
          "p",
          { class: "no-decode" },
          "Nothing decoded: correct the marked field to see the exit.",
        ),
      );
      return;
    }
    let explained: ExplainNode[] | string;
    try {
      explained = codec.explain(snapshot, opts);
    } catch (e) {
      explained = reject(e);
    }
    let decoded: DecodedExit<unknown> | string;
    try {
      decoded = codec.decode(snapshot, opts);
    } catch (e) {
      decoded = reject(e);
    }
    renderGeneral();
    replace(
      output,
      h(
        "section",
        { class: "registers-view" },
        h("h3", {}, "Registers"),
        typeof explained === "string"
          ? h("p", { class: "no-decode" }, `Not explained: ${explained}`)
          : explainView(explained),
      ),
      typeof decoded === "string"
        ? h(
            "section",
            { class: "exit" },
            h("h3", {}, "Exit"),
            h("p", { class: "no-decode" }, `Not decoded: ${decoded}`),
          )
        : exitView(decoded),
      typeof decoded === "string" ? null : causeView(decoded),
    );
  }

  function renderGeneral(): void {
    replace(general, ...[...notes, ...generalErrors].map((m) => h("p", {}, m)));
  }

  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", () => {
    notes = [];
    update();
    changed();
  });

  function setValue(f: Field, value: string): void {
    const c = f.control;
    if (c instanceof HTMLSelectElement && !Array.from(c.options).some((o) => o.value === value)) {
      // Keep a value the choices do not have, so the reader can say what is wrong with it.
      c.append(h("option", { value }, value));
    }
    c.value = value;
  }

  return {
    name,
    title: codec.title,
    section,
    load(params: Pairs) {
      const example = EXAMPLES[name];
      const given =
        params.length === 0 && example !== undefined ? parseRoute(`?${example}`).params : params;
      for (const f of all) f.control.value = "";
      notes = [];
      const seen = new Set<Field>();
      for (const [key, value] of given) {
        const f = fieldFor(key);
        if (f === undefined) {
          notes.push(
            `The link's key ${JSON.stringify(key)} is not a ${codec.title} key: left out.`,
          );
          continue;
        }
        if (seen.has(f))
          notes.push(`${f.name} is given twice in the link: the last value is used.`);
        seen.add(f);
        setValue(f, value);
        const group = groupOf(f);
        if (group !== null && value !== "") group.open = true;
      }
      update();
    },
    pairs() {
      const out: [string, string][] = [];
      for (const f of all) {
        const text = f.control.value.trim();
        if (text !== "") out.push([f.name, text]);
      }
      return out;
    },
  };
}
