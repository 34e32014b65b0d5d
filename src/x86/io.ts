// Port I/O (IN / OUT), shared by VMX's IO_INSTRUCTION and SVM's IOIO exits: the exit a single
// access is, and the registers that express one.
import type { ExitOf } from "../core/exit";
import { ACCESS_WIDTH_LOW_MASKS } from "../core/scalars/access-width";
import { hex, joinU64 } from "../core/u64";
import * as unchecked from "../core/unchecked";
import { reg32Of, type X86Regs } from "./regs";
import { Unencodable } from "./unencodable";

/**
 * A single IN or OUT of `size` bytes at `port`: `IoRead`, or `IoWrite` whose data is AL / AX / EAX
 * (RAX masked to the size). `exitName` names the exit in a `missing-register` error.
 */
export function ioExit(
  regs: X86Regs | undefined,
  isIn: boolean,
  port: number,
  size: 1 | 2 | 4,
  exitName: string,
): ExitOf<"IoRead"> | ExitOf<"IoWrite"> {
  if (isIn) return unchecked.ioRead(port, size);
  const eax = reg32Of(regs?.rax, "rax", exitName);
  // joined through the u64 view: `BigInt(number)` is a runtime call
  return unchecked.ioWrite(
    port,
    size,
    joinU64((eax & (ACCESS_WIDTH_LOW_MASKS[size] as number)) >>> 0, 0),
  );
}

/** Why a string (INS / OUTS) or REP-prefixed I/O instruction is `Nothing`. */
export function ioNote(isIn: boolean, string: boolean, rep: boolean): string {
  const mnemonic = string ? (isIn ? "INS" : "OUTS") : isIn ? "IN" : "OUT";
  return `${mnemonic}${rep ? " with REP" : ""}: not a single port access`;
}

/**
 * The registers of `IN eAX, DX` / `OUT DX, eAX` for `exit`: RDX = port and, for OUT, RAX = data;
 * or why there is none (8-byte width, data wider than the width).
 */
export function ioRegs(exit: ExitOf<"IoRead"> | ExitOf<"IoWrite">): X86Regs | Unencodable {
  if (exit.width === 8) {
    return new Unencodable(
      "width",
      `${exit.kind === "IoRead" ? "IN" : "OUT"} transfers 1, 2 or 4 bytes, got width 8`,
    );
  }
  if (exit.kind === "IoRead") return { rdx: exit.port };
  if (exit.data > BigInt(ACCESS_WIDTH_LOW_MASKS[exit.width] as number)) {
    return new Unencodable("data", `data ${hex(exit.data)} does not fit in ${exit.width} byte(s)`);
  }
  return { rax: exit.data, rdx: exit.port };
}
