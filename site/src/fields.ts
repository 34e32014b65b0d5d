// Form controls derived from a codec's schema: one per snapshot key and per decode option that
// text can set. Nothing here knows an architecture.
import { h } from "./dom";
import type { OptionSpec, SnapshotKey, ValueSpec } from "./lib";

/** One control of a codec form, bound to a snapshot key or to a decode option. */
export interface Field {
  /** The name in links and labels: a snapshot key's first alias or key, an option's flag. */
  readonly name: string;
  /** The snapshot key, for a snapshot field. */
  readonly key?: SnapshotKey;
  /** The option, for an option field. */
  readonly option?: OptionSpec;
  /** How the text is read. */
  readonly value: ValueSpec;
  /** The input or select. */
  readonly control: HTMLInputElement | HTMLSelectElement;
  /** Where this field's error message goes. */
  readonly error: HTMLElement;
  /** The label, control and error, as laid out. */
  readonly row: HTMLElement;
}

/** The name a snapshot key has in links: its first alias, else the key (`reason`, `esr`). */
export function linkName(key: SnapshotKey): string {
  return key.aliases[0] ?? key.key;
}

function placeholder(value: ValueSpec): string {
  switch (value.type) {
    case "bytes":
      return "8b 07";
    case "named":
      return "number or name";
    default:
      return "0x…";
  }
}

function control(
  id: string,
  value: ValueSpec,
  describedBy: string,
): HTMLInputElement | HTMLSelectElement {
  const choices =
    value.type === "choice"
      ? value.values
      : value.type === "boolean"
        ? ["true", "false"]
        : undefined;
  if (choices !== undefined) {
    return h(
      "select",
      { id, "aria-describedby": describedBy },
      h("option", { value: "" }, "(default)"),
      ...choices.map((c) => h("option", { value: String(c) }, String(c))),
    );
  }
  return h("input", {
    id,
    type: "text",
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    placeholder: placeholder(value),
    "aria-describedby": describedBy,
  });
}

function build(
  prefix: string,
  name: string,
  title: string,
  help: string | undefined,
  value: ValueSpec,
): Pick<Field, "control" | "error" | "row"> {
  const id = `${prefix}-${name}`;
  const error = h("span", { class: "field-error", id: `${id}-error`, "aria-live": "polite" });
  const note = help === undefined ? null : h("span", { class: "help", id: `${id}-help` }, help);
  const described = help === undefined ? error.id : `${id}-help ${error.id}`;
  const c = control(id, value, described);
  c.setAttribute("aria-errormessage", error.id);
  c.dataset.name = name;
  const row = h("div", { class: "field" }, h("label", { for: id, title }, name), c, note, error);
  return { control: c, error, row };
}

/** The field of a snapshot key; registers (keys stored at an index or name) get no help line. */
export function snapshotField(prefix: string, key: SnapshotKey): Field {
  const name = linkName(key);
  const spellings = [key.key, ...key.aliases].join(", ");
  const register = key.path.length === 2;
  const help = register ? undefined : key.key === name ? key.help : `${key.key}: ${key.help}`;
  const parts = build(prefix, name, spellings, help, key.value);
  if (key.required === true) parts.control.required = true;
  return { name, key, value: key.value, ...parts };
}

/** The field of a decode option, or undefined when text cannot set it (a function option). */
export function optionField(prefix: string, option: OptionSpec): Field | undefined {
  if (option.cli === undefined || option.value.type === "function") return undefined;
  const parts = build(prefix, option.cli, option.key, option.help, option.value);
  return { name: option.cli, option, value: option.value, ...parts };
}

/** Shows `message` as the field's error (empty clears it) and marks the control invalid. */
export function setFieldError(field: Field, message: string): void {
  field.error.textContent = message;
  if (message === "") field.control.removeAttribute("aria-invalid");
  else field.control.setAttribute("aria-invalid", "true");
}
