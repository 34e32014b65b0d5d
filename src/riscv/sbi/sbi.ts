import { toInt } from "../../core/u64";

/** One SBI extension: its EID, the spec's short name, and function names indexed by FID. */
export interface SbiExtensionInfo {
  /** Extension ID (a7). */
  readonly eid: number;
  /** The SBI spec's name of the extension (`HSM`, `IPI`, …). */
  readonly name: string;
  /** Function names indexed by FID (a6). */
  readonly functions: readonly string[];
}

/** SBI extension IDs the decoder maps to typed exits. */
export const SBI_EID = {
  /** Legacy `sbi_shutdown`. */
  LEGACY_SHUTDOWN: 0x08,
  /** Base extension. */
  BASE: 0x10,
  /** Hart state management ("HSM"). */
  HSM: 0x48534d,
  /** System reset ("SRST"). */
  SRST: 0x53525354,
  /** Inter-processor interrupts ("sPI"). */
  IPI: 0x735049,
  /** The vmexit default hypercall extension ("HVC"). */
  HYPERCALL: 0x485643,
} as const;

/** Function IDs used by the typed mappings. */
export const SBI_FID = {
  /** HSM `hart_start(hartid, start_addr, opaque)`. */
  HART_START: 0,
  /** HSM `hart_stop()`. */
  HART_STOP: 1,
  /** HSM `hart_get_status(hartid)`. */
  HART_GET_STATUS: 2,
  /** HSM `hart_suspend(suspend_type, resume_addr, opaque)`. */
  HART_SUSPEND: 3,
  /** SRST `system_reset(reset_type, reset_reason)`. */
  SYSTEM_RESET: 0,
  /** IPI `send_ipi(hart_mask, hart_mask_base)`. */
  SEND_IPI: 0,
} as const;

/** The named SBI extensions (v0.2+ calling convention), from the SBI specification. */
export const SBI_EXTENSIONS: readonly SbiExtensionInfo[] = [
  {
    eid: 0x10,
    name: "BASE",
    functions: [
      "get_spec_version",
      "get_impl_id",
      "get_impl_version",
      "probe_extension",
      "get_mvendorid",
      "get_marchid",
      "get_mimpid",
    ],
  },
  { eid: 0x54494d45, name: "TIME", functions: ["set_timer"] },
  { eid: 0x735049, name: "IPI", functions: ["send_ipi"] },
  {
    eid: 0x52464e43,
    name: "RFENCE",
    functions: [
      "remote_fence_i",
      "remote_sfence_vma",
      "remote_sfence_vma_asid",
      "remote_hfence_gvma_vmid",
      "remote_hfence_gvma",
      "remote_hfence_vvma_asid",
      "remote_hfence_vvma",
    ],
  },
  {
    eid: 0x48534d,
    name: "HSM",
    functions: ["hart_start", "hart_stop", "hart_get_status", "hart_suspend"],
  },
  { eid: 0x53525354, name: "SRST", functions: ["system_reset"] },
  {
    eid: 0x504d55,
    name: "PMU",
    functions: [
      "num_counters",
      "counter_get_info",
      "counter_config_matching",
      "counter_start",
      "counter_stop",
      "counter_fw_read",
      "counter_fw_read_hi",
      "snapshot_set_shmem",
      "event_get_info",
    ],
  },
  {
    eid: 0x4442434e,
    name: "DBCN",
    functions: ["console_write", "console_read", "console_write_byte"],
  },
  { eid: 0x53555350, name: "SUSP", functions: ["system_suspend"] },
  { eid: 0x43505043, name: "CPPC", functions: ["probe", "read", "read_hi", "write"] },
  {
    eid: 0x4e41434c,
    name: "NACL",
    functions: ["probe_feature", "set_shmem", "sync_csr", "sync_hfence", "sync_sret"],
  },
  { eid: 0x535441, name: "STA", functions: ["set_shmem"] },
  {
    eid: 0x535345,
    name: "SSE",
    functions: [
      "read_attrs",
      "write_attrs",
      "register",
      "unregister",
      "enable",
      "disable",
      "complete",
      "inject",
      "hart_unmask",
      "hart_mask",
    ],
  },
  { eid: 0x46574654, name: "FWFT", functions: ["set", "get"] },
  {
    eid: 0x44425452,
    name: "DBTR",
    functions: [
      "num_triggers",
      "setup_shmem",
      "read_triggers",
      "install_triggers",
      "update_triggers",
      "uninstall_triggers",
      "enable_triggers",
      "disable_triggers",
    ],
  },
  {
    eid: 0x4d505859,
    name: "MPXY",
    functions: [
      "get_shmem_size",
      "set_shmem",
      "get_channel_ids",
      "read_attributes",
      "write_attributes",
      "send_message_with_response",
      "send_message_without_response",
      "get_notification_events",
    ],
  },
];

/** Legacy (v0.1) extensions 0x00–0x0F: function names indexed by EID (`undefined` for 0x09–0x0F, reserved). */
export const SBI_LEGACY_FUNCTION_NAMES: readonly (string | undefined)[] = [
  "set_timer",
  "console_putchar",
  "console_getchar",
  "clear_ipi",
  "send_ipi",
  "remote_fence_i",
  "remote_sfence_vma",
  "remote_sfence_vma_asid",
  "shutdown",
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
  undefined,
];

/** True for the legacy (v0.1) extensions, EIDs 0x00–0x0F (the v0.2+ numbering starts at BASE 0x10). */
export function isLegacyEid(eid: number): boolean {
  return eid < SBI_EID.BASE;
}

/** The extension and function names of an SBI call (EID and FID as unsigned 32-bit numbers). */
export interface SbiNames {
  /** Extension name: the spec's name, `legacy`, `experimental`, `vendor`, `firmware`, or `undefined` when unknown. */
  readonly extension: string | undefined;
  /** Function name, or `undefined` when unknown. */
  readonly function: string | undefined;
}

const RANGE_NAMES: readonly (readonly [lo: number, hi: number, name: string])[] = [
  [0x0800_0000, 0x08ff_ffff, "experimental"],
  [0x0900_0000, 0x09ff_ffff, "vendor"],
  [0x0a00_0000, 0x0aff_ffff, "firmware"],
];

/** An SBI EID/FID register (as 32-bit halves) as unsigned 32-bit: EIDs and FIDs are signed 32-bit values, so on RV64 the register must hold the sign extension of one (else `undefined`). */
export function sbiId32(lo: number, hi: number, xlen: 32 | 64): number | undefined {
  if (xlen === 32) return lo;
  return hi === (lo >= 0x8000_0000 ? 0xffff_ffff : 0) ? lo : undefined;
}

/** log2 of the slots of the EID table (kept sparse: a probe seldom goes past the home slot). */
const EID_BITS = 7;
const EID_MASK = (1 << EID_BITS) - 1;

/** The home slot of an EID (multiplicative hashing, as `U32Memo`: the top bits of eid × 2654435761). */
function eidSlot(eid: number): number {
  return Math.imul(eid, 0x9e37_79b1) >>> (32 - EID_BITS);
}

/** `SBI_EXTENSIONS` by EID, open-addressed: an extension sits at its home slot or the next free one. */
interface EidTable {
  readonly eids: Uint32Array;
  readonly infos: readonly (SbiExtensionInfo | undefined)[];
}

/* @__NO_SIDE_EFFECTS__ */
function eidTable(extensions: readonly SbiExtensionInfo[]): EidTable {
  const eids = new Uint32Array(EID_MASK + 1);
  const infos = new Array<SbiExtensionInfo | undefined>(EID_MASK + 1).fill(undefined);
  for (const e of extensions) {
    let slot = eidSlot(e.eid);
    while (infos[slot] !== undefined) slot = (slot + 1) & EID_MASK;
    eids[slot] = e.eid;
    infos[slot] = e;
  }
  return { eids, infos };
}

// in place of a Map (whose lookup of a number key cost about 100 instructions, a search of the
// EIDs 3× as much): an SBI call's decodeRiscv took 30 fewer instructions (callgrind)
const BY_EID: EidTable = /* @__PURE__ */ eidTable(SBI_EXTENSIONS);

/** The named extension of an EID (v0.2+ numbering), or `undefined`. */
export function sbiExtension(eid: number): SbiExtensionInfo | undefined {
  const { eids, infos } = BY_EID;
  for (let slot = eidSlot(eid); ; slot = (slot + 1) & EID_MASK) {
    const info = infos[slot];
    if (info === undefined || eids[slot] === eid) return info;
  }
}

/** The name of an EID that is legacy or not a named extension: `legacy`, a range name, or `undefined`. */
export function sbiRangeName(eid: number): string | undefined {
  if (isLegacyEid(eid)) return "legacy";
  for (let i = 0; i < RANGE_NAMES.length; i++) {
    const range = RANGE_NAMES[i] as (typeof RANGE_NAMES)[number];
    if (eid >= range[0] && eid <= range[1]) return range[2];
  }
  return undefined;
}

/** The extension name of an EID: the spec's name, `legacy`, a range name, or `undefined`. */
export function sbiExtensionName(eid: number): string | undefined {
  if (isLegacyEid(eid)) return "legacy";
  return sbiExtension(eid)?.name ?? sbiRangeName(eid);
}

/** The function name of an SBI call (legacy EIDs ignore the FID), or `undefined` when unknown. */
export function sbiFunctionName(eid: number, fid: number | undefined): string | undefined {
  if (isLegacyEid(eid)) return SBI_LEGACY_FUNCTION_NAMES[eid];
  return fid === undefined ? undefined : sbiExtension(eid)?.functions[fid];
}

/**
 * Names an SBI call (EID and FID as unsigned 32-bit numbers, as `cause.sbi` gives them); legacy
 * EIDs ignore the FID. Anything but an integer in 0…0xFFFFFFFF is a `VmExitError`.
 * @example sbiNames(0x48534d, 0); // { extension: "HSM", function: "hart_start" }
 */
export function sbiNames(eid: number, fid: number): SbiNames {
  toInt(eid, "eid", 0, 0xffff_ffff);
  toInt(fid, "fid", 0, 0xffff_ffff);
  return { extension: sbiExtensionName(eid), function: sbiFunctionName(eid, fid) };
}
