import { u32 } from "./u32";

// SMCCC function identifiers and the PSCI function table.
// Sources: Arm DEN0028 (SMC Calling Convention) §2.5 function identifier layout and owner
// numbers; Arm DEN0022 (PSCI) function IDs as in Linux include/uapi/linux/psci.h; SMCCC arch
// calls as in Linux include/linux/arm-smccc.h.

type PsciRow = readonly [n: number, name: string, has32: boolean, has64: boolean];

// n = function number (bits 15:0); 32-bit ID = 0x84000000 + n, 64-bit ID = 0xC4000000 + n.
const PSCI_ROWS: readonly PsciRow[] = [
  [0x00, "PSCI_VERSION", true, false],
  [0x01, "CPU_SUSPEND", true, true],
  [0x02, "CPU_OFF", true, false],
  [0x03, "CPU_ON", true, true],
  [0x04, "AFFINITY_INFO", true, true],
  [0x05, "MIGRATE", true, true],
  [0x06, "MIGRATE_INFO_TYPE", true, false],
  [0x07, "MIGRATE_INFO_UP_CPU", true, true],
  [0x08, "SYSTEM_OFF", true, false],
  [0x09, "SYSTEM_RESET", true, false],
  [0x0a, "PSCI_FEATURES", true, false],
  [0x0b, "CPU_FREEZE", true, false],
  [0x0c, "CPU_DEFAULT_SUSPEND", true, true],
  [0x0d, "NODE_HW_STATE", true, true],
  [0x0e, "SYSTEM_SUSPEND", true, true],
  [0x0f, "PSCI_SET_SUSPEND_MODE", true, false],
  [0x10, "PSCI_STAT_RESIDENCY", true, true],
  [0x11, "PSCI_STAT_COUNT", true, true],
  [0x12, "SYSTEM_RESET2", true, true],
  [0x13, "MEM_PROTECT", true, false],
  [0x14, "MEM_PROTECT_CHECK_RANGE", true, true],
  [0x15, "SYSTEM_OFF2", true, true],
  [0x16, "CLEAN_INV_MEMREGION", false, true],
  [0x17, "CLEAN_INV_MEMREGION_ATTRIBUTES", true, false],
];

/** One PSCI function: its name and whether the SMC32/HVC32 and SMC64/HVC64 IDs exist. */
export interface PsciFunction {
  /** The PSCI name, e.g. `CPU_ON`. */
  readonly name: string;
  /** 0x84000000 + n is defined. */
  readonly has32: boolean;
  /** 0xC4000000 + n is defined. */
  readonly has64: boolean;
}

function buildPsci(): readonly (PsciFunction | undefined)[] {
  const t: (PsciFunction | undefined)[] = new Array<PsciFunction | undefined>(
    PSCI_ROWS.length,
  ).fill(undefined);
  for (const [n, name, has32, has64] of PSCI_ROWS) t[n] = { name, has32, has64 };
  return t;
}

/** The PSCI functions, indexed by function number (ID bits 15:0). */
export const PSCI_FUNCTIONS: readonly (PsciFunction | undefined)[] = /* @__PURE__ */ buildPsci();

/** PSCI function IDs (W0 values) that the AArch64 decoder maps to exits other than `Hypercall`. */
export const PSCI_ID = {
  /** CPU_SUSPEND, SMC32 convention. */
  CPU_SUSPEND: 0x8400_0001,
  /** CPU_SUSPEND, SMC64 convention. */
  CPU_SUSPEND64: 0xc400_0001,
  /** CPU_OFF. */
  CPU_OFF: 0x8400_0002,
  /** CPU_ON, SMC32 convention. */
  CPU_ON: 0x8400_0003,
  /** CPU_ON, SMC64 convention. */
  CPU_ON64: 0xc400_0003,
  /** SYSTEM_OFF. */
  SYSTEM_OFF: 0x8400_0008,
  /** SYSTEM_RESET. */
  SYSTEM_RESET: 0x8400_0009,
  /** SYSTEM_RESET2, SMC32 convention. */
  SYSTEM_RESET2: 0x8400_0012,
  /** SYSTEM_RESET2, SMC64 convention. */
  SYSTEM_RESET2_64: 0xc400_0012,
  /** SYSTEM_OFF2, SMC32 convention. */
  SYSTEM_OFF2: 0x8400_0015,
  /** SYSTEM_OFF2, SMC64 convention. */
  SYSTEM_OFF2_64: 0xc400_0015,
} as const;

/** The PSCI name of a 32-bit SMCCC function ID (e.g. `CPU_ON` for 0xC4000003), `undefined` if not PSCI. */
export function psciFunctionName(functionId: number): string | undefined {
  const fid = u32(functionId, "functionId");
  const base = (fid & 0xffff_0000) >>> 0;
  if (base !== 0x8400_0000 && base !== 0xc400_0000) return undefined;
  const n = fid & 0xffff;
  // In bounds before the load: an out-of-bounds array read takes the engine's slow path.
  const f = n < PSCI_FUNCTIONS.length ? PSCI_FUNCTIONS[n] : undefined;
  if (f === undefined) return undefined;
  return (base === 0x8400_0000 ? f.has32 : f.has64) ? f.name : undefined;
}

/** SMCCC owner names, indexed by owner number (function ID bits 29:24). */
export const SMCCC_OWNER_NAMES: readonly string[] = /* @__PURE__ */ Array.from(
  { length: 64 },
  (_, owner) => {
    if (owner === 0) return "Arm Architecture Calls";
    if (owner === 1) return "CPU Service Calls";
    if (owner === 2) return "SiP Service Calls";
    if (owner === 3) return "OEM Service Calls";
    if (owner === 4) return "Standard Secure Service Calls";
    if (owner === 5) return "Standard Hypervisor Service Calls";
    if (owner === 6) return "Vendor Specific Hypervisor Service Calls";
    if (owner <= 47) return "Reserved for future use";
    if (owner <= 49) return "Trusted Application Calls";
    return "Trusted OS Calls";
  },
);

const ARCH_CALLS: ReadonlyMap<number, string> = /* @__PURE__ */ new Map([
  [0x8000_0000, "SMCCC_VERSION"],
  [0x8000_0001, "SMCCC_ARCH_FEATURES"],
  [0x8000_0002, "SMCCC_ARCH_SOC_ID"],
  [0x8000_8000, "SMCCC_ARCH_WORKAROUND_1"],
  [0x8000_7fff, "SMCCC_ARCH_WORKAROUND_2"],
  [0x8000_3fff, "SMCCC_ARCH_WORKAROUND_3"],
]);

// The generic per-owner queries, indexed by function number − 0xFF00.
const GENERIC_CALLS: readonly (string | undefined)[] = [
  "CALL_COUNT",
  "CALL_UID",
  undefined,
  "REVISION",
];

/** The name of a 32-bit SMCCC function ID that is not a PSCI function: Arm architecture calls and the generic per-owner queries. */
export function smcccOtherFunctionName(functionId: number): string | undefined {
  const fid = u32(functionId, "functionId");
  if (fid >>> 31 === 0) return undefined;
  const arch = ARCH_CALLS.get(fid);
  if (arch !== undefined) return arch;
  if ((fid & 0x80ff_fffc) >>> 0 === 0x8000_ff00) return GENERIC_CALLS[fid & 3];
  return undefined;
}

/** The name of a 32-bit SMCCC function ID: PSCI functions, Arm architecture calls and the generic per-owner queries. */
export function smcccFunctionName(functionId: number): string | undefined {
  return psciFunctionName(functionId) ?? smcccOtherFunctionName(functionId);
}
