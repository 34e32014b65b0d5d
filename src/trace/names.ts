// Reason names of arm64 and RISC-V exits, shared by the parsed lines and the statistics: the name
// Linux prints where there is one (the EC table, the scause tables), else the number in hex.
import { ESR_EC_NAMES } from "../aarch64/index";
import { SCAUSE_EXCEPTION_NAMES, SCAUSE_INTERRUPT_NAMES } from "../riscv/index";
import { TYPE_NAMES, TYPE_NONE, TYPE_OTHER, TYPE_TRAP } from "./scan/arm-exit";

const hexNames: string[] = [];

/** `0x` + hex of a small number (cached below 4096). */
export function hexName(n: number): string {
  if (n >= 0 && n < 4096) {
    let s = hexNames[n];
    if (s === undefined) {
      s = `0x${n.toString(16)}`;
      hexNames[n] = s;
    }
    return s;
  }
  return `0x${n.toString(16)}`;
}

/**
 * An arm64 exit's name: a TRAP by its EC (`DABT_LOW`), other exceptions by their type (`IRQ`,
 * `SERROR`, `HYP_GONE`, or the type in hex); `UNKNOWN` when the line printed no type and no EC.
 */
export function armExitName(type: number, ec: number, typeValue: number): string {
  if (type === TYPE_TRAP || (type === TYPE_NONE && ec >= 0)) return ESR_EC_NAMES[ec] ?? hexName(ec);
  if (type === TYPE_NONE) return "UNKNOWN";
  if (type === TYPE_OTHER) return typeValue >= 0 ? hexName(typeValue) : "UNKNOWN";
  return TYPE_NAMES[type] as string;
}

const excNames: string[] = [];
const irqNames: string[] = [];

/** A RISC-V exit's name: the scause table's (`EXC_LOAD_GUEST_PAGE_FAULT`, `IRQ_S_TIMER`), else `EXC_0x…` / `IRQ_0x…`. */
export function riscvExitName(interrupt: boolean, code: number): string {
  const table = interrupt ? SCAUSE_INTERRUPT_NAMES : SCAUSE_EXCEPTION_NAMES;
  const known = table[code];
  if (known !== undefined) return known;
  const cache = interrupt ? irqNames : excNames;
  let s = code < 4096 ? cache[code] : undefined;
  if (s === undefined) {
    s = `${interrupt ? "IRQ" : "EXC"}_0x${code.toString(16)}`;
    if (code < 4096) cache[code] = s;
  }
  return s;
}
