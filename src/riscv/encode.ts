import { show, VmExitError } from "../core/error";
import type { VmExit } from "../core/exit";
import { isVmExit } from "../core/guards";
import type { BitField } from "../core/layout";
import { MappingFlags } from "../core/scalars/mapping-flags";
import { hex, U64_MAX } from "../core/u64";
import { CSR_COUNT } from "./insn/csr";
import { OPCODE, WFI } from "./insn/decode";
import { CSR, FUNCT3, RD, RS1, RS2 } from "./insn/format";
import { resolveEncodeOptions } from "./options";
import { SBI_EID, SBI_FID } from "./sbi/sbi";
import { interruptAllocation, SCAUSE_CODE } from "./scause";
import type { RiscvEncodeOptions, RiscvSnapshot } from "./snapshot";
import { widthMask } from "./trap/guest-page-fault";

const INTERRUPT_BIT = 1n << 63n;
const ECALL_VS = BigInt(SCAUSE_CODE.ECALL_VS);
const VIRTUAL_INSTRUCTION = BigInt(SCAUSE_CODE.VIRTUAL_INSTRUCTION);
const ILLEGAL_INSTRUCTION = BigInt(SCAUSE_CODE.ILLEGAL_INSTRUCTION);
const { FETCH_GUEST_PAGE_FAULT, LOAD_GUEST_PAGE_FAULT, STORE_GUEST_PAGE_FAULT } = SCAUSE_CODE;
/** Register the encoder puts store data, CSR write values and the first SBI argument in: a0. */
const A0 = 10;
/** RV32 guest-physical addresses are 34 bits (htval holds bits 33:2). */
const RV32_GPA_LIMIT = 1n << 34n;
/** funct3 of CSRRW and CSRRS. */
const CSRRW = 1;
const CSRRS = 2;
/** funct3 of LB/LH/LW/LD indexed by width; the unsigned forms add 4. */
const LOG2_WIDTH = [0, 0, 1, 0, 2, 0, 0, 0, 3] as const;

/** Why an SBI-encoded exit cannot be told apart from a hypercall with this hypercall EID. */
function shadowed(kind: string, eid: number, hypercallEid: number): string | undefined {
  return eid === hypercallEid
    ? `${kind}: its SBI EID ${hex(eid)} is configured as the hypercall EID`
    : undefined;
}

/** Why `exit` has no RISC-V encoding (with this hypercall EID), or `undefined` when it has one. */
function unencodable(exit: VmExit, hypercallEid: number): string | undefined {
  switch (exit.kind) {
    case "IoRead":
    case "IoWrite":
      return `${exit.kind}: RISC-V has no I/O port space`;
    case "FailEntry":
      return "FailEntry: RISC-V H has no VM-entry failure";
    case "ExternalInterrupt":
      if (exit.vector >= INTERRUPT_BIT)
        return `ExternalInterrupt: vector ${hex(exit.vector)} does not fit scause bits 62:0`;
      if (exit.vector < 16n && interruptAllocation(Number(exit.vector)) === "reserved") {
        return `ExternalInterrupt: interrupt code ${exit.vector} is reserved`;
      }
      return undefined;
    case "MmioRead":
      if (exit.regWidth === 8) {
        return exit.width === 8 && !exit.signedExt
          ? "MmioRead: RV64 has no zero-extending 8-byte load"
          : undefined;
      }
      if (exit.regWidth === 4) {
        if (exit.width === 8) return "MmioRead: RV32 has no 8-byte load";
        if (exit.width === 4 && !exit.signedExt) return "MmioRead: RV32 has no LWU";
        if (exit.addr >= RV32_GPA_LIMIT)
          return `MmioRead: RV32 GPA ${hex(exit.addr)} exceeds 34 bits`;
        return undefined;
      }
      return `MmioRead: regWidth ${exit.regWidth} is not XLEN/8 (4 or 8)`;
    case "MmioWrite":
      return exit.data > widthMask(exit.width)
        ? `MmioWrite: data ${hex(exit.data)} does not fit ${exit.width} byte(s)`
        : undefined;
    case "NestedPageFault":
      return exit.accessFlags === MappingFlags.READ ||
        exit.accessFlags === MappingFlags.WRITE ||
        exit.accessFlags === MappingFlags.EXECUTE
        ? undefined
        : `NestedPageFault: access flags ${exit.accessFlags} are not exactly one of READ, WRITE, EXECUTE`;
    case "SysRegRead":
    case "SysRegWrite":
      return exit.addr >= CSR_COUNT
        ? `${exit.kind}: CSR number ${hex(exit.addr)} exceeds 12 bits`
        : undefined;
    case "CpuUp":
      return shadowed(exit.kind, SBI_EID.HSM, hypercallEid);
    case "CpuDown":
      return exit.state === 0n
        ? shadowed(exit.kind, SBI_EID.HSM, hypercallEid)
        : `CpuDown: SBI hart_stop has no state (got ${exit.state})`;
    case "SendIPI": {
      const hidden = shadowed(exit.kind, SBI_EID.IPI, hypercallEid);
      if (hidden !== undefined) return hidden;
      if (exit.vector !== 1n)
        return `SendIPI: SBI send_ipi carries no vector (must be 1, got ${exit.vector})`;
      if (exit.sendToSelf) return "SendIPI: SBI send_ipi has no send-to-self";
      if (exit.sendToAll !== (exit.targetCpu === U64_MAX)) {
        return "SendIPI: sendToAll must be true exactly when targetCpu (hart_mask_base) is all ones";
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** True when `encodeRiscv(exit, options)` succeeds; never throws. */
export function canEncodeRiscv(exit: unknown, options?: RiscvEncodeOptions): boolean {
  if (!isVmExit(exit)) return false;
  let hypercallEid: number;
  try {
    hypercallEid = resolveEncodeOptions(options);
  } catch {
    return false;
  }
  return unencodable(exit, hypercallEid) === undefined;
}

/** `v` placed in field `f` of an instruction word (fields of one 32-bit half). */
function put(f: BitField, v: number): number {
  return (v & f.mask) << f.shift;
}

function regs(values: readonly (readonly [index: number, value: bigint])[]): bigint[] {
  const x = new Array<bigint>(32).fill(0n);
  for (const [i, v] of values) x[i] = v;
  return x;
}

function sbiCall(eid: number, a6: bigint | number, args: readonly bigint[]): RiscvSnapshot {
  // EIDs are signed 32-bit: on RV64 a7 holds the sign extension.
  const a7 = eid >= 0x8000_0000 ? 0xffff_ffff_0000_0000n | BigInt(eid) : BigInt(eid);
  const x = regs([
    [17, a7],
    [16, BigInt(a6)],
  ]);
  args.forEach((v, i) => {
    x[A0 + i] = v;
  });
  return { scause: ECALL_VS, stval: 0n, x, xlen: 64 };
}

function guestPageFault(code: number, addr: bigint, htinst: number, x?: bigint[]): RiscvSnapshot {
  const snapshot = { scause: BigInt(code), stval: addr, htval: addr >> 2n, htinst: BigInt(htinst) };
  return x === undefined ? { ...snapshot, xlen: 64 } : { ...snapshot, x, xlen: 64 };
}

/**
 * Encodes an exit as RISC-V trap state that `decodeRiscv` decodes back to an equal exit; exits
 * RISC-V cannot express throw `VmExitError("unrepresentable")` (see `canEncodeRiscv`).
 */
export function encodeRiscv(exit: VmExit, options?: RiscvEncodeOptions): RiscvSnapshot {
  if (!isVmExit(exit)) {
    throw new VmExitError(
      "invalid-argument",
      `exit must be a valid VmExit, got ${show(exit)}`,
      "exit",
    );
  }
  const hypercallEid = resolveEncodeOptions(options);
  const why = unencodable(exit, hypercallEid);
  if (why !== undefined) throw new VmExitError("unrepresentable", why, "kind");
  switch (exit.kind) {
    case "Hypercall":
      return sbiCall(hypercallEid, exit.nr, exit.args);
    case "MmioRead": {
      const funct3 = LOG2_WIDTH[exit.width] + (exit.signedExt ? 0 : 4);
      const htinst = put(FUNCT3, funct3) | put(RD, exit.reg) | OPCODE.LOAD;
      if (exit.regWidth === 8) return guestPageFault(LOAD_GUEST_PAGE_FAULT, exit.addr, htinst);
      return {
        scause: BigInt(LOAD_GUEST_PAGE_FAULT),
        stval: exit.addr & 0xffff_ffffn,
        htval: exit.addr >> 2n,
        htinst: BigInt(htinst),
        xlen: 32,
      };
    }
    case "MmioWrite": {
      const htinst = put(RS2, A0) | put(FUNCT3, LOG2_WIDTH[exit.width]) | OPCODE.STORE;
      return guestPageFault(STORE_GUEST_PAGE_FAULT, exit.addr, htinst, regs([[A0, exit.data]]));
    }
    case "NestedPageFault": {
      const code =
        exit.accessFlags === MappingFlags.EXECUTE
          ? FETCH_GUEST_PAGE_FAULT
          : exit.accessFlags === MappingFlags.WRITE
            ? STORE_GUEST_PAGE_FAULT
            : LOAD_GUEST_PAGE_FAULT;
      return guestPageFault(code, exit.addr, 0);
    }
    case "ExternalInterrupt":
      return { scause: INTERRUPT_BIT | exit.vector, xlen: 64 };
    case "Halt":
      return { scause: VIRTUAL_INSTRUCTION, stval: BigInt(WFI), xlen: 64 };
    case "SysRegRead": {
      // csrrs rd, csr, x0
      const insn =
        (put(CSR, exit.addr) | put(FUNCT3, CSRRS) | put(RD, exit.reg) | OPCODE.SYSTEM) >>> 0;
      return { scause: VIRTUAL_INSTRUCTION, stval: BigInt(insn), xlen: 64 };
    }
    case "SysRegWrite": {
      // csrrw x0, csr, a0
      const insn = (put(CSR, exit.addr) | put(RS1, A0) | put(FUNCT3, CSRRW) | OPCODE.SYSTEM) >>> 0;
      return {
        scause: VIRTUAL_INSTRUCTION,
        stval: BigInt(insn),
        x: regs([[A0, exit.value]]),
        xlen: 64,
      };
    }
    case "CpuUp":
      return sbiCall(SBI_EID.HSM, SBI_FID.HART_START, [exit.targetCpu, exit.entryPoint, exit.arg]);
    case "CpuDown":
      return sbiCall(SBI_EID.HSM, SBI_FID.HART_STOP, []);
    case "SystemDown":
      // system_reset(SHUTDOWN = 0, NO_REASON = 0), or legacy sbi_shutdown when SRST is the hypercall EID
      return hypercallEid === SBI_EID.SRST
        ? sbiCall(SBI_EID.LEGACY_SHUTDOWN, 0, [])
        : sbiCall(SBI_EID.SRST, SBI_FID.SYSTEM_RESET, [0n, 0n]);
    case "SendIPI":
      return sbiCall(SBI_EID.IPI, SBI_FID.SEND_IPI, [exit.targetCpuAux, exit.targetCpu]);
    case "Nothing":
      return { scause: ILLEGAL_INSTRUCTION, stval: 0n, xlen: 64 };
    default:
      throw new VmExitError("unrepresentable", `${exit.kind} has no RISC-V encoding`, "kind");
  }
}
