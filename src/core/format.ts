import { checkArg } from "./check-arg";
import type { VmExit } from "./exit";
import { EXIT_FIELDS, type FieldType } from "./fields";
import { formatMappingFlags } from "./scalars/mapping-flags";
import { hex } from "./u64";

const FORMAT: { readonly [T in FieldType]: (v: never) => string } = {
  u64: hex,
  gpa: hex,
  port: hex,
  sysreg: hex,
  width: String,
  flags: formatMappingFlags,
  reg: String,
  bool: String,
  args: (v: readonly bigint[]) => `[${v.map(hex).join(", ")}]`,
};

/**
 * One line in the spirit of Rust's `Debug`, hex for addresses, data and values. A value that is
 * not a `VmExit` (`isVmExit`) is a `VmExitError("invalid-argument")` saying what is wrong.
 * @example
 * formatExit(mmioRead({ addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false }))
 * // "MmioRead { addr: 0x9000000, width: 4, reg: 3, regWidth: 8, signedExt: false }"
 */
export function formatExit(exit: VmExit): string {
  checkArg(exit, "exit", "exit");
  const fields = EXIT_FIELDS[exit.kind];
  if (fields.length === 0) return exit.kind;
  const record = exit as unknown as Record<string, never>;
  const parts = fields.map(([name, type]) => `${name}: ${FORMAT[type](record[name] as never)}`);
  return `${exit.kind} { ${parts.join(", ")} }`;
}
