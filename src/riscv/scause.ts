import { show, VmExitError } from "../core/error";
import { type BitField, field, flag, isSet } from "../core/layout";
import { hex, highHalf, joinU64, type U64Halves } from "../core/u64";
import { missingCsr, splitLow } from "./registers";
import type { RiscvXlen } from "./snapshot";

/** How an scause code is allocated by the privileged architecture. */
type ScauseAllocation = "standard" | "custom" | "platform" | "reserved";

/** The exception codes the decoder, the encoder and the explainer treat specially. */
export const SCAUSE_CODE = {
  /** Illegal instruction (the encoder's `Nothing`). */
  ILLEGAL_INSTRUCTION: 2,
  /** Environment call from VS-mode: an SBI call. */
  ECALL_VS: 10,
  /** Instruction guest-page fault. */
  FETCH_GUEST_PAGE_FAULT: 20,
  /** Load guest-page fault. */
  LOAD_GUEST_PAGE_FAULT: 21,
  /** Virtual instruction. */
  VIRTUAL_INSTRUCTION: 22,
  /** Store/AMO guest-page fault. */
  STORE_GUEST_PAGE_FAULT: 23,
} as const;

/** Exception code, Linux-style name (`EXC_*`), and the privileged spec's description. */
const EXCEPTIONS: readonly (readonly [code: number, name: string, description: string])[] = [
  [0, "EXC_INST_MISALIGNED", "Instruction address misaligned"],
  [1, "EXC_INST_ACCESS", "Instruction access fault"],
  [2, "EXC_INST_ILLEGAL", "Illegal instruction"],
  [3, "EXC_BREAKPOINT", "Breakpoint"],
  [4, "EXC_LOAD_MISALIGNED", "Load address misaligned"],
  [5, "EXC_LOAD_ACCESS", "Load access fault"],
  [6, "EXC_STORE_MISALIGNED", "Store/AMO address misaligned"],
  [7, "EXC_STORE_ACCESS", "Store/AMO access fault"],
  [8, "EXC_SYSCALL", "Environment call from U-mode or VU-mode"],
  [9, "EXC_HYPERVISOR_SYSCALL", "Environment call from HS-mode"],
  [10, "EXC_SUPERVISOR_SYSCALL", "Environment call from VS-mode"],
  [11, "EXC_MACHINE_SYSCALL", "Environment call from M-mode"],
  [12, "EXC_INST_PAGE_FAULT", "Instruction page fault"],
  [13, "EXC_LOAD_PAGE_FAULT", "Load page fault"],
  [15, "EXC_STORE_PAGE_FAULT", "Store/AMO page fault"],
  [16, "EXC_DOUBLE_TRAP", "Double trap"],
  [18, "EXC_SOFTWARE_CHECK", "Software check"],
  [19, "EXC_HARDWARE_ERROR", "Hardware error"],
  [20, "EXC_INST_GUEST_PAGE_FAULT", "Instruction guest-page fault"],
  [21, "EXC_LOAD_GUEST_PAGE_FAULT", "Load guest-page fault"],
  [22, "EXC_VIRTUAL_INST_FAULT", "Virtual instruction"],
  [23, "EXC_STORE_GUEST_PAGE_FAULT", "Store/AMO guest-page fault"],
];

/** Interrupt code, Linux name (`IRQ_*`), and the privileged spec's description. */
const INTERRUPTS: readonly (readonly [code: number, name: string, description: string])[] = [
  [1, "IRQ_S_SOFT", "Supervisor software interrupt"],
  [2, "IRQ_VS_SOFT", "Virtual supervisor software interrupt"],
  [3, "IRQ_M_SOFT", "Machine software interrupt"],
  [5, "IRQ_S_TIMER", "Supervisor timer interrupt"],
  [6, "IRQ_VS_TIMER", "Virtual supervisor timer interrupt"],
  [7, "IRQ_M_TIMER", "Machine timer interrupt"],
  [9, "IRQ_S_EXT", "Supervisor external interrupt"],
  [10, "IRQ_VS_EXT", "Virtual supervisor external interrupt"],
  [11, "IRQ_M_EXT", "Machine external interrupt"],
  [12, "IRQ_S_GEXT", "Supervisor guest external interrupt"],
  [13, "IRQ_PMU_OVF", "Counter-overflow interrupt"],
];

/** Exception codes 24–31 and 48–63 are designated for custom use. */
const CUSTOM_EXCEPTION_NAME = "EXC_CUSTOM";
/** Interrupt codes ≥ 16 are designated for platform use. */
export const PLATFORM_INTERRUPT_NAME = "IRQ_PLATFORM";

/** Number of exception codes below the always-reserved range (≥ 64). */
const EXCEPTION_CODE_LIMIT = 64;
/** Number of interrupt codes below the platform range (≥ 16). */
export const INTERRUPT_PLATFORM_BASE = 16;

function isCustomException(code: number): boolean {
  return (code >= 24 && code <= 31) || (code >= 48 && code <= 63);
}

function table(
  size: number,
  rows: readonly (readonly [number, string, string])[],
  column: 1 | 2,
  fill?: (code: number) => string | undefined,
): readonly (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let code = 0; code < size; code++) out.push(fill?.(code));
  for (const row of rows) out[row[0]] = row[column];
  return out;
}

/** scause exception names indexed by code 0…63 (Linux `EXC_*` style; `EXC_CUSTOM` for custom-use codes; `undefined` for reserved codes). */
export const SCAUSE_EXCEPTION_NAMES: readonly (string | undefined)[] = table(
  EXCEPTION_CODE_LIMIT,
  EXCEPTIONS,
  1,
  (c) => (isCustomException(c) ? CUSTOM_EXCEPTION_NAME : undefined),
);

/** scause interrupt names indexed by code 0…15 (Linux `IRQ_*`; `undefined` for reserved codes); codes ≥ 16 are platform interrupts (`IRQ_PLATFORM`). */
export const SCAUSE_INTERRUPT_NAMES: readonly (string | undefined)[] = table(
  INTERRUPT_PLATFORM_BASE,
  INTERRUPTS,
  1,
);

/** The privileged spec's description of each exception code 0…63 (`undefined` when reserved). */
export const SCAUSE_EXCEPTION_DESCRIPTIONS: readonly (string | undefined)[] = table(
  EXCEPTION_CODE_LIMIT,
  EXCEPTIONS,
  2,
  (c) => (isCustomException(c) ? "Designated for custom use" : undefined),
);

/** The privileged spec's description of each interrupt code 0…15 (`undefined` when reserved). */
export const SCAUSE_INTERRUPT_DESCRIPTIONS: readonly (string | undefined)[] = table(
  INTERRUPT_PLATFORM_BASE,
  INTERRUPTS,
  2,
);

/** How an exception code (any non-negative number) is allocated. */
export function exceptionAllocation(code: number): ScauseAllocation {
  if (code >= EXCEPTION_CODE_LIMIT) return "reserved";
  if (isCustomException(code)) return "custom";
  return SCAUSE_EXCEPTION_NAMES[code] === undefined ? "reserved" : "standard";
}

/** How an interrupt code (any non-negative number) is allocated. */
export function interruptAllocation(code: number): ScauseAllocation {
  if (code >= INTERRUPT_PLATFORM_BASE) return "platform";
  return SCAUSE_INTERRUPT_NAMES[code] === undefined ? "reserved" : "standard";
}

/** What an exception or interrupt code means: `IRQ_S_TIMER: Supervisor timer interrupt`, custom, platform. */
function codeMeaning(interrupt: boolean, code: number): string {
  if (interrupt) {
    if (code >= INTERRUPT_PLATFORM_BASE) return "Designated for platform use";
    const name = SCAUSE_INTERRUPT_NAMES[code];
    return name === undefined ? "Reserved" : `${name}: ${SCAUSE_INTERRUPT_DESCRIPTIONS[code]}`;
  }
  const allocation = exceptionAllocation(code);
  if (allocation === "reserved") return "Reserved";
  if (allocation === "custom") return "Designated for custom use";
  return `${SCAUSE_EXCEPTION_NAMES[code]}: ${SCAUSE_EXCEPTION_DESCRIPTIONS[code]}`;
}

/* @__NO_SIDE_EFFECTS__ */
function makeScauseLayout(xlen: RiscvXlen): readonly [interrupt: BitField, code: BitField] {
  const interrupt = flag("Interrupt", xlen - 1, "exception", "interrupt");
  const code = field("Exception Code", xlen - 2, 0, (value, reg) =>
    codeMeaning(isSet(interrupt, xlen === 64 ? reg.hi : reg.lo), value),
  );
  return [interrupt, code];
}

/** The layout of an RV32 scause: Interrupt [31], Exception Code [30:0]. */
const SCAUSE_RV32 = /* @__PURE__ */ makeScauseLayout(32);
/** The layout of an RV64 scause: Interrupt [63], Exception Code [62:0]. */
const SCAUSE_RV64 = /* @__PURE__ */ makeScauseLayout(64);

const INTERRUPT_RV32 = SCAUSE_RV32[0];
const INTERRUPT_RV64 = SCAUSE_RV64[0];

/**
 * The layout of scause (privileged ISA, "Supervisor Cause Register"): Interrupt [XLEN−1] and
 * Exception Code [XLEN−2:0]. The Interrupt flag lies in the top 32-bit half on both XLENs.
 */
export function scauseLayout(xlen: RiscvXlen): readonly [interrupt: BitField, code: BitField] {
  return xlen === 64 ? SCAUSE_RV64 : SCAUSE_RV32;
}

/** Throws the `reserved-encoding` error of a reserved scause code (decoder and explainer alike). */
function reservedScause(
  kind: "exception" | "interrupt",
  code: bigint | number,
  scause: unknown,
): never {
  throw new VmExitError(
    "reserved-encoding",
    `scause ${show(scause)} is a reserved ${kind} code (${hex(code)})`,
    "scause",
  );
}

/** The Interrupt bit's mask in the top 32-bit half (bit 31 of it on RV32 and RV64 alike). */
export const INTERRUPT_MASK = 0x8000_0000;

/** Exception codes 0…63 that are reserved, as a table (true = reserved). */
const EXCEPTION_RESERVED: readonly boolean[] = /* @__PURE__ */ Array.from(
  { length: EXCEPTION_CODE_LIMIT },
  (_, code) => exceptionAllocation(code) === "reserved",
);
/** Interrupt codes 0…15 that are reserved, as a table (true = reserved). */
const INTERRUPT_RESERVED: readonly boolean[] = /* @__PURE__ */ Array.from(
  { length: INTERRUPT_PLATFORM_BASE },
  (_, code) => interruptAllocation(code) === "reserved",
);

/** A reserved exception code (bits 31:0 and 63:32 of an scause without the Interrupt bit). */
function reservedException(lo: number, hi: number, v: unknown): never {
  return reservedScause("exception", hi === 0 ? lo : joinU64(lo, hi), v);
}

/** True when scause (its 32-bit halves) has the Interrupt bit (XLEN−1) set. */
export function scauseInterrupt(lo: number, hi: number, xlen: RiscvXlen): boolean {
  return xlen === 64 ? isSet(INTERRUPT_RV64, hi) : isSet(INTERRUPT_RV32, lo);
}

/**
 * Reads scause: validates it (present, within XLEN), rejects a reserved code with
 * `reserved-encoding`, and returns bits 31:0 (bits 63:32 are `highHalf()` until the next split).
 * The decoder and the explainers read scause through this one function, so they reject the same
 * values.
 */
export function readScauseLow(v: unknown, xlen: RiscvXlen): number {
  if (v === undefined) missingCsr("scause", "a trap");
  const lo = splitLow(v, "scause", xlen);
  const hi = highHalf();
  if (scauseInterrupt(lo, hi, xlen)) {
    // the code is every bit below the Interrupt bit: codes ≥ 16 (also ≥ 2^32) are platform interrupts
    const low = xlen === 64 ? lo : (lo & ~INTERRUPT_MASK) >>> 0;
    if (low < INTERRUPT_PLATFORM_BASE && (xlen === 32 || hi === INTERRUPT_MASK)) {
      if (INTERRUPT_RESERVED[low]) reservedScause("interrupt", low, v);
    }
  } else if (hi !== 0 || lo >= EXCEPTION_CODE_LIMIT || EXCEPTION_RESERVED[lo]) {
    reservedException(lo, hi, v);
  }
  return lo;
}

/** `readScauseLow` filling `out` with both halves; returns true for an interrupt. */
export function readScause(v: unknown, xlen: RiscvXlen, out: U64Halves): boolean {
  out.lo = readScauseLow(v, xlen);
  out.hi = highHalf();
  return scauseInterrupt(out.lo, out.hi, xlen);
}
