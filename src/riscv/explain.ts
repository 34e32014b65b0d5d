import type { RegValue } from "../core/decoded";
import { VmExitError } from "../core/error";
import { type ExplainNode, explainNode } from "../core/explain";
import { explainFields, explainRegister } from "../core/layout";
import { hex, joinU64, type U64Halves } from "../core/u64";
import { decodeRiscv } from "./decode";
import { explainHtinst, explainInstructionWord } from "./insn/explain";
import { isCompressed } from "./insn/format";
import { resolveDecodeOptions } from "./options";
import {
  checkInstructionWord,
  checkRegisterFile,
  checkXlen,
  readXOptional,
  splitReg,
} from "./registers";
import { isLegacyEid, SBI_EID, sbiExtensionName, sbiFunctionName, sbiId32 } from "./sbi/sbi";
import { readScause, SCAUSE_CODE, scauseLayout } from "./scause";
import type { RiscvDecodeOptions, RiscvSnapshot, RiscvXlen } from "./snapshot";

const halves: U64Halves = { lo: 0, hi: 0 };

/**
 * Dissects scause into the Interrupt bit (XLEN−1) and the Exception Code (XLEN−2…0); rejects
 * what `decodeRiscv` rejects (a reserved code is `reserved-encoding`).
 * @example explainScause(0x8000000000000005n); // Interrupt [63] = 1, Exception Code [62:0] = 5 IRQ_S_TIMER
 */
export function explainScause(scause: RegValue, xlen: RiscvXlen = 64): ExplainNode[] {
  const width = checkXlen(xlen);
  readScause(scause, width, halves);
  return explainFields(halves, scauseLayout(width));
}

/** A register value as a bigint and its halves (in `halves`), validated. */
function read(v: RegValue, field: string, xlen: RiscvXlen): bigint {
  splitReg(v, field, xlen, halves);
  return typeof v === "bigint" ? v : joinU64(halves.lo, halves.hi);
}

/**
 * Dissects a whole snapshot: scause, stval, htval (with the GPA), htinst, the instruction, and
 * the SBI registers of an ECALL. Rejects exactly what `decodeRiscv(snapshot, options)` rejects,
 * except that a register the exit needs may be absent (the others are still explained).
 * @example formatExplain(explainRiscv({ scause: 21, stval: 0x10000004, htval: 0x04000001, htinst: 0x2501 }))
 */
export function explainRiscv(snapshot: RiscvSnapshot, options?: RiscvDecodeOptions): ExplainNode[] {
  try {
    decodeRiscv(snapshot, options);
  } catch (e) {
    // a missing register stops a decode, not an explanation of the registers that are there
    if (!(e instanceof VmExitError) || e.code !== "missing-register" || e.field === "scause") {
      throw e;
    }
  }
  // decodeRiscv has rejected anything but an object with a valid xlen, scause and options
  const { hypercallEid } = resolveDecodeOptions(options);
  const xlen = checkXlen(snapshot.xlen);
  const top = xlen - 1;
  const interrupt = readScause(snapshot.scause, xlen, halves);
  const scause = explainRegister("scause", xlen, halves, scauseLayout(xlen));
  const code = interrupt ? -1 : halves.lo;
  const nodes: ExplainNode[] = [
    explainNode("scause", top, 0, scause.value, scause.children?.[1]?.meaning, scause.children),
  ];
  const guestPageFault =
    code === SCAUSE_CODE.FETCH_GUEST_PAGE_FAULT ||
    code === SCAUSE_CODE.LOAD_GUEST_PAGE_FAULT ||
    code === SCAUSE_CODE.STORE_GUEST_PAGE_FAULT;
  let stval: bigint | undefined;
  if (snapshot.stval !== undefined) {
    stval = read(snapshot.stval, "stval", xlen);
    const asInstruction =
      code === SCAUSE_CODE.VIRTUAL_INSTRUCTION && halves.hi === 0 && halves.lo !== 0;
    nodes.push(
      explainNode(
        "stval",
        top,
        0,
        stval,
        guestPageFault
          ? "faulting guest-virtual address"
          : asInstruction
            ? "trapping instruction"
            : undefined,
        asInstruction ? explainInstructionWord(halves.lo, xlen) : undefined,
      ),
    );
  }
  if (snapshot.htval !== undefined) {
    const htval = read(snapshot.htval, "htval", xlen);
    const gpa = guestPageFault && stval !== undefined ? (htval << 2n) | (stval & 3n) : undefined;
    nodes.push(
      explainNode(
        "htval",
        top,
        0,
        htval,
        gpa === undefined ? "GPA >> 2" : `GPA >> 2; GPA = ${hex(gpa)}`,
      ),
    );
  }
  if (snapshot.htinst !== undefined) {
    const htinst = read(snapshot.htinst, "htinst", xlen);
    const { meaning, children } = explainHtinst(halves.lo, halves.hi, xlen);
    nodes.push(explainNode("htinst", top, 0, htinst, meaning, children));
  }
  if (snapshot.instruction !== undefined) {
    const w = checkInstructionWord(snapshot.instruction);
    const compressed = isCompressed(w);
    nodes.push(
      explainNode(
        "instruction",
        compressed ? 15 : 31,
        0,
        compressed ? w & 0xffff : w,
        compressed ? "compressed" : undefined,
        explainInstructionWord(w, xlen),
      ),
    );
  }
  if (code === SCAUSE_CODE.ECALL_VS) nodes.push(...explainSbi(snapshot, xlen, hypercallEid));
  return nodes;
}

/** a7 named as the SBI extension (the hypercall EID first, as the decoder does) and a6 as its function. */
function explainSbi(snapshot: RiscvSnapshot, xlen: RiscvXlen, hypercallEid: number): ExplainNode[] {
  const x = checkRegisterFile(snapshot.x);
  const a7 = readXOptional(x, 17, xlen);
  if (a7 === undefined) return [];
  const a6 = readXOptional(x, 16, xlen);
  splitReg(a7, "x17", xlen, halves);
  const eid = sbiId32(halves.lo, halves.hi, xlen);
  if (eid === undefined) {
    return [explainNode("a7", xlen - 1, 0, a7, "SBI EID: not a sign-extended 32-bit value")];
  }
  let fid: number | undefined;
  if (a6 !== undefined) {
    splitReg(a6, "x16", xlen, halves);
    fid = sbiId32(halves.lo, halves.hi, xlen);
  }
  if (eid === hypercallEid) {
    const which =
      hypercallEid === SBI_EID.HYPERCALL ? "vmexit default EID" : "options.hypercallEid";
    return [explainNode("a7", xlen - 1, 0, a7, `SBI EID: hypercall (${which})`)];
  }
  const out = [
    explainNode("a7", xlen - 1, 0, a7, `SBI EID: ${sbiExtensionName(eid) ?? "unknown extension"}`),
  ];
  if (a6 !== undefined && !isLegacyEid(eid)) {
    const fn = sbiFunctionName(eid, fid);
    out.push(explainNode("a6", xlen - 1, 0, a6, `SBI FID: ${fn ?? "unknown function"}`));
  }
  return out;
}
