// What the command line knows about architectures comes from the codec registry: the names, the
// snapshot keys and the options of every codec. Nothing here lists an architecture.
import { ARCHES, codecByName, codecs } from "../codecs";
import type { AnyCodec, OptionSpec, RegisterExplainer } from "../core/codec";
import { findSnapshotKey, snapshotFromText } from "../core/snapshot-text";
import { parseValue } from "../core/text";
import { CliError } from "./error";
import type { CliIo } from "./io";
import type { OptionSpec as CliOptionSpec, OptionValues } from "./options";

/** Every codec, in registry order. */
export const ALL_CODECS: readonly AnyCodec[] = ARCHES.map((a): AnyCodec => codecs[a]);

/** `vmx, aarch64, riscv`: the canonical command-line name of every codec. */
export function codecNames(): string {
  return ALL_CODECS.map((c) => c.names[0] ?? c.arch).join(", ");
}

/** The codec named on the command line, or a `CliError` listing the names. */
export function codecArg(name: string | undefined, command: string): AnyCodec {
  if (name === undefined) throw new CliError(`${command} needs an architecture: ${codecNames()}`);
  const codec = codecByName(name);
  if (codec === undefined) {
    throw new CliError(`unknown architecture "${name}": use ${codecNames()}`);
  }
  return codec;
}

/** Splits `key=value` arguments. */
export function keyValueArgs(args: readonly string[]): [string, string][] {
  return args.map((arg): [string, string] => {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw new CliError(`expected key=value, got "${arg}"`);
    return [arg.slice(0, eq), arg.slice(eq + 1)];
  });
}

/**
 * A codec's snapshot from `key=value` arguments, over `base` (the snapshot of a state page) when
 * given: then no key is required, and the arguments' values and registers win.
 */
export function snapshotArgs(
  codec: AnyCodec,
  args: readonly string[],
  base?: Readonly<Record<string, unknown>>,
): unknown {
  const pairs = keyValueArgs(args);
  const given = pairs.map(([key]) => {
    const spec = findSnapshotKey(codec.snapshotKeys, key);
    if (spec === undefined) {
      throw new CliError(
        `unknown ${codec.names[0]} snapshot key "${key}" (see vmexit decode --help)`,
      );
    }
    return spec;
  });
  if (base === undefined) {
    for (const spec of codec.snapshotKeys) {
      if (spec.required === true && !given.includes(spec)) {
        throw new CliError(`${codec.names[0]} snapshot needs ${spec.key}=…`);
      }
    }
    return snapshotFromText(codec.snapshotKeys, pairs);
  }
  const keys = codec.snapshotKeys.map((k) => ({ ...k, required: false }));
  const fromArgs = snapshotFromText(keys, pairs);
  const merged: Record<string, unknown> = { ...base, ...fromArgs };
  const regs = [base.regs, fromArgs.regs].filter((r) => r !== undefined);
  if (regs.length > 0) merged.regs = Object.assign({}, ...regs);
  return merged;
}

/** The `--<flag> FILE` options of the codecs that read a raw state page (`--vmcb`). */
export function statePageFlags(): string[] {
  return ALL_CODECS.flatMap((c) => (c.statePage === undefined ? [] : [c.statePage.flag]));
}

/** The bytes of FILE, at most `limit` (a file longer than that is cut: the page reader refuses it). */
async function readBytes(io: CliIo, path: string, limit: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of await io.openFile(path)) {
    // a copy (a Buffer's `slice` is a view): the next chunk may be read into the same buffer
    const bytes =
      typeof chunk === "string"
        ? Uint8Array.from(chunk, (c) => c.charCodeAt(0) & 0xff)
        : new Uint8Array(chunk);
    parts.push(bytes);
    length += bytes.length;
    if (length > limit) break;
  }
  const out = new Uint8Array(Math.min(length, limit));
  let at = 0;
  for (const p of parts) {
    out.set(p.subarray(0, out.length - at), at);
    at += Math.min(p.length, out.length - at);
  }
  return out;
}

/**
 * The snapshot of the state page given with its flag (`--vmcb FILE`), `undefined` when none; the
 * page flag of another codec is a `CliError`.
 */
export async function statePageArg(
  codec: AnyCodec,
  values: OptionValues,
  io: CliIo,
): Promise<Record<string, unknown> | undefined> {
  for (const other of ALL_CODECS) {
    const page = other.statePage;
    const file = page === undefined ? undefined : values[page.flag];
    if (page === undefined || typeof file !== "string") continue;
    if (other !== codec) {
      throw new CliError(
        `--${page.flag} is not an option of ${codec.names[0]} (it is one of ${other.names[0]})`,
      );
    }
    // one byte more than the page, so that a longer file is refused for its size
    const bytes = await readBytes(io, file, page.size + 1);
    if (bytes.length !== page.size) {
      throw new CliError(
        `"${file}" is not a ${page.title} page: ${page.size} bytes expected, got ${
          bytes.length > page.size ? "more" : bytes.length
        }`,
      );
    }
    return page.read(bytes) as Record<string, unknown>;
  }
  return undefined;
}

/** `--help` lines for the state-page options. */
export function statePageHelp(): string {
  return ALL_CODECS.flatMap((c) =>
    c.statePage === undefined
      ? []
      : [
          `  --${`${c.statePage.flag} FILE`.padEnd(22)} ${c.names[0]}: the snapshot from a raw ${c.statePage.size}-byte ${c.statePage.title} page (key=value arguments add to it)`,
        ],
  ).join("\n");
}

function cliSpecs(codec: AnyCodec): OptionSpec[] {
  const out: OptionSpec[] = [];
  for (const spec of [...codec.decodeOptions, ...codec.encodeOptions]) {
    if (spec.cli !== undefined && !out.some((s) => s.cli === spec.cli)) out.push(spec);
  }
  return out;
}

/** The command-line flags of every codec's decode options, for `parseArgs`. */
export function decoderFlags(): CliOptionSpec {
  const booleans = new Set<string>();
  const strings = new Set<string>();
  for (const codec of ALL_CODECS) {
    for (const spec of cliSpecs(codec)) {
      (spec.value.type === "boolean" ? booleans : strings).add(spec.cli as string);
    }
  }
  return { booleans: [...booleans], strings: [...strings] };
}

/** The decode options of `codec` from the flags given; a flag of another codec is a `CliError`. */
export function decodeOptionsArgs(codec: AnyCodec, values: OptionValues): object {
  const own = codec.decodeOptions.filter((s) => s.cli !== undefined);
  const options: Record<string, unknown> = {};
  for (const other of ALL_CODECS) {
    for (const spec of cliSpecs(other)) {
      const given = values[spec.cli as string];
      if (given === undefined) continue;
      const mine = own.find((s) => s.cli === spec.cli);
      if (mine === undefined) {
        throw new CliError(
          `--${spec.cli} is not an option of ${codec.names[0]} (it is one of ${other.names[0]})`,
        );
      }
      options[mine.key] =
        typeof given === "boolean" ? given : parseValue(mine.value, given, `--${mine.cli}`);
    }
  }
  return options;
}

/** The options of every codec from the flags given, keyed by arch (flags of any codec allowed). */
export function allDecodeOptionsArgs(values: OptionValues): Record<string, object> {
  const out: Record<string, object> = {};
  for (const codec of ALL_CODECS) {
    const options: Record<string, unknown> = {};
    for (const spec of codec.decodeOptions) {
      const given = spec.cli === undefined ? undefined : values[spec.cli];
      if (given === undefined) continue;
      options[spec.key] =
        typeof given === "boolean" ? given : parseValue(spec.value, given, `--${spec.cli}`);
    }
    out[codec.arch] = options;
  }
  return out;
}

/** `--help` lines for each codec's snapshot keys. */
export function snapshotKeysHelp(): string {
  return ALL_CODECS.map((c) => {
    const keys = c.snapshotKeys.map((k) =>
      k.aliases.length === 0 ? k.key : `${k.key}|${k.aliases.join("|")}`,
    );
    return `  ${(c.names[0] ?? c.arch).padEnd(8)} ${keys.join(", ")}`;
  }).join("\n");
}

/** `--help` lines for each codec's command-line options. */
export function decoderFlagsHelp(): string {
  const lines: string[] = [];
  for (const codec of ALL_CODECS) {
    for (const spec of codec.decodeOptions) {
      if (spec.cli === undefined) continue;
      const arg =
        spec.value.type === "choice"
          ? ` <${spec.value.values.join("|")}>`
          : spec.value.type === "boolean"
            ? ""
            : " <n>";
      lines.push(`  --${`${spec.cli}${arg}`.padEnd(22)} ${codec.names[0]}: ${spec.help}`);
    }
  }
  return lines.join("\n");
}

/** The codec and register an `explain` name stands for (`esr` → AArch64's ESR_EL2). */
export function registerArg(
  name: string,
): { readonly codec: AnyCodec; readonly explainer: RegisterExplainer<unknown> } | undefined {
  const n = name.toLowerCase();
  for (const codec of ALL_CODECS) {
    const explainer = Object.hasOwn(codec.registers, n) ? codec.registers[n] : undefined;
    if (explainer !== undefined) return { codec, explainer };
  }
  return undefined;
}

/** `esr, scause`: every register `explain` takes on its own. */
export function registerNames(): string[] {
  return ALL_CODECS.flatMap((c) => Object.keys(c.registers));
}
