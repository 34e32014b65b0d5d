// The SVM exit codes (VMCB EXITCODE, offset 0x070), as data: every defined code with the name
// Linux's `kvm_exit` prints (`SVM_EXIT_REASONS`, arch/x86/include/uapi/asm/svm.h), Linux's
// constant (libtraceevent prints `EXIT_` + it), and the APM / Xen name (`VMEXIT_*`, Xen
// xen/arch/x86/hvm/svm/vmcb.h; AMD APM Vol. 2 Appendix C), plus the SEV-ES software exit codes a
// guest puts in its GHCB for VMGEXIT (Linux `SVM_VMGEXIT_*`; KVM copies them into EXITCODE).

/** One defined exit code. */
export interface SvmExitCodeInfo {
  /** The exit code as a number; the four negative codes are −1 … −4. */
  readonly code: number;
  /** EXITCODE as the VMCB holds it, a u64 (the negative codes are 2^64 − 1 … 2^64 − 4). */
  readonly exitCode: bigint;
  /** The name: the string Linux's `kvm_exit` prints, else the APM / Xen / GHCB name. */
  readonly name: string;
  /** The string Linux's `kvm_exit` prints (`npf`, `PF excp`), `undefined` where Linux has none. */
  readonly linux: string | undefined;
  /** Linux's constant without `SVM_EXIT_` (`NPF`; `VMGEXIT_MMIO_READ` for `SVM_VMGEXIT_*`), `undefined` where Linux has none. */
  readonly constant: string | undefined;
  /** The APM / Xen name (`VMEXIT_NPF`), or the GHCB constant for the SEV-ES software codes. */
  readonly apm: string;
}

/** Exception mnemonics by vector as Linux and Xen spell them in exit names (`PF` → `PF excp`, `VMEXIT_EXCEPTION_PF`). */
const EXCEPTION_NAMES: readonly (string | undefined)[] = [
  "DE",
  "DB",
  "NMI",
  "BP",
  "OF",
  "BR",
  "UD",
  "NM",
  "DF",
  undefined,
  "TS",
  "NP",
  "SS",
  "GP",
  "PF",
  undefined,
  "MF",
  "AC",
  "MC",
  "XF",
  undefined,
  "CP",
];

/** Vectors whose exception exit has a Linux string (`SVM_EXIT_REASONS`): all named ones but NMI (2) and #CP (21). */
const LINUX_EXCEPTIONS: readonly number[] = [
  0, 1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 19,
];

/** Control registers with Linux `read_crN` / `write_crN` strings. */
const LINUX_CRS: readonly number[] = [0, 2, 3, 4, 8];
/** Control registers with a Linux `write_crN_trap` string (the others have constants only). */
const LINUX_CR_TRAPS: readonly number[] = [0, 4, 8];

/**
 * Codes 0x060–0x0A6 in order: [Linux string, Linux constant, APM / Xen name]; an empty string is
 * "none". 0x090–0x09F (the CR write traps) are built separately.
 */
const MISC: readonly (readonly [number, string, string, string])[] = [
  [0x060, "interrupt", "INTR", "VMEXIT_INTR"],
  [0x061, "nmi", "NMI", "VMEXIT_NMI"],
  [0x062, "smi", "SMI", "VMEXIT_SMI"],
  [0x063, "init", "INIT", "VMEXIT_INIT"],
  [0x064, "vintr", "VINTR", "VMEXIT_VINTR"],
  [0x065, "cr0_sel_write", "CR0_SEL_WRITE", "VMEXIT_CR0_SEL_WRITE"],
  [0x066, "read_idtr", "IDTR_READ", "VMEXIT_IDTR_READ"],
  [0x067, "read_gdtr", "GDTR_READ", "VMEXIT_GDTR_READ"],
  [0x068, "read_ldtr", "LDTR_READ", "VMEXIT_LDTR_READ"],
  // Linux prints "rt" for TR
  [0x069, "read_rt", "TR_READ", "VMEXIT_TR_READ"],
  [0x06a, "write_idtr", "IDTR_WRITE", "VMEXIT_IDTR_WRITE"],
  [0x06b, "write_gdtr", "GDTR_WRITE", "VMEXIT_GDTR_WRITE"],
  [0x06c, "write_ldtr", "LDTR_WRITE", "VMEXIT_LDTR_WRITE"],
  [0x06d, "write_rt", "TR_WRITE", "VMEXIT_TR_WRITE"],
  [0x06e, "rdtsc", "RDTSC", "VMEXIT_RDTSC"],
  [0x06f, "rdpmc", "RDPMC", "VMEXIT_RDPMC"],
  [0x070, "pushf", "PUSHF", "VMEXIT_PUSHF"],
  [0x071, "popf", "POPF", "VMEXIT_POPF"],
  [0x072, "cpuid", "CPUID", "VMEXIT_CPUID"],
  [0x073, "rsm", "RSM", "VMEXIT_RSM"],
  [0x074, "iret", "IRET", "VMEXIT_IRET"],
  [0x075, "swint", "SWINT", "VMEXIT_SWINT"],
  [0x076, "invd", "INVD", "VMEXIT_INVD"],
  [0x077, "pause", "PAUSE", "VMEXIT_PAUSE"],
  [0x078, "hlt", "HLT", "VMEXIT_HLT"],
  [0x079, "invlpg", "INVLPG", "VMEXIT_INVLPG"],
  [0x07a, "invlpga", "INVLPGA", "VMEXIT_INVLPGA"],
  [0x07b, "io", "IOIO", "VMEXIT_IOIO"],
  [0x07c, "msr", "MSR", "VMEXIT_MSR"],
  [0x07d, "task_switch", "TASK_SWITCH", "VMEXIT_TASK_SWITCH"],
  [0x07e, "ferr_freeze", "FERR_FREEZE", "VMEXIT_FERR_FREEZE"],
  [0x07f, "shutdown", "SHUTDOWN", "VMEXIT_SHUTDOWN"],
  [0x080, "vmrun", "VMRUN", "VMEXIT_VMRUN"],
  [0x081, "hypercall", "VMMCALL", "VMEXIT_VMMCALL"],
  [0x082, "vmload", "VMLOAD", "VMEXIT_VMLOAD"],
  [0x083, "vmsave", "VMSAVE", "VMEXIT_VMSAVE"],
  [0x084, "stgi", "STGI", "VMEXIT_STGI"],
  [0x085, "clgi", "CLGI", "VMEXIT_CLGI"],
  [0x086, "skinit", "SKINIT", "VMEXIT_SKINIT"],
  [0x087, "rdtscp", "RDTSCP", "VMEXIT_RDTSCP"],
  [0x088, "icebp", "ICEBP", "VMEXIT_ICEBP"],
  [0x089, "wbinvd", "WBINVD", "VMEXIT_WBINVD"],
  [0x08a, "monitor", "MONITOR", "VMEXIT_MONITOR"],
  [0x08b, "mwait", "MWAIT", "VMEXIT_MWAIT"],
  [0x08c, "", "MWAIT_COND", "VMEXIT_MWAIT_CONDITIONAL"],
  [0x08d, "xsetbv", "XSETBV", "VMEXIT_XSETBV"],
  [0x08e, "", "RDPRU", "VMEXIT_RDPRU"],
  [0x08f, "write_efer_trap", "EFER_WRITE_TRAP", "VMEXIT_EFER_WRITE_TRAP"],
  // 0x0A0, 0x0A1, 0x0A3, 0x0A4: names from Bochs (bochs/cpu/svm.h); Linux has no constant
  [0x0a0, "", "", "VMEXIT_INVLPGB"],
  [0x0a1, "", "", "VMEXIT_INVLPGB_ILLEGAL"],
  [0x0a2, "invpcid", "INVPCID", "VMEXIT_INVPCID"],
  [0x0a3, "", "", "VMEXIT_MCOMMIT"],
  [0x0a4, "", "", "VMEXIT_TLBSYNC"],
  [0x0a5, "buslock", "BUS_LOCK", "VMEXIT_BUS_LOCK"],
  [0x0a6, "idle-halt", "IDLE_HLT", "VMEXIT_IDLE_HLT"],
  [0x400, "npf", "NPF", "VMEXIT_NPF"],
  [0x401, "avic_incomplete_ipi", "AVIC_INCOMPLETE_IPI", "VMEXIT_AVIC_INCOMPLETE_IPI"],
  // Bochs and Xen call it AVIC_NOACCEL
  [0x402, "avic_unaccelerated_access", "AVIC_UNACCELERATED_ACCESS", "VMEXIT_AVIC_NOACCEL"],
  [0x403, "vmgexit", "VMGEXIT", "VMEXIT_VMGEXIT"],
  // page-modification log full: an AMD patch series of 2026 (not in Linux 6.18)
  [0x407, "pml_full", "PML_FULL", "VMEXIT_PML_FULL"],
  // reserved for hypervisor / software use (Linux SVM_EXIT_SW; Hyper-V's enlightened exits)
  [0xf000_0000, "", "SW", "VMEXIT_SW"],
  // SEV-ES software exit codes (GHCB sw_exit_code): Linux SVM_VMGEXIT_*
  [0x8000_0001, "vmgexit_mmio_read", "VMGEXIT_MMIO_READ", "SVM_VMGEXIT_MMIO_READ"],
  [0x8000_0002, "vmgexit_mmio_write", "VMGEXIT_MMIO_WRITE", "SVM_VMGEXIT_MMIO_WRITE"],
  [0x8000_0003, "vmgexit_nmi_complete", "VMGEXIT_NMI_COMPLETE", "SVM_VMGEXIT_NMI_COMPLETE"],
  [0x8000_0004, "vmgexit_ap_hlt_loop", "VMGEXIT_AP_HLT_LOOP", "SVM_VMGEXIT_AP_HLT_LOOP"],
  [0x8000_0005, "vmgexit_ap_jump_table", "VMGEXIT_AP_JUMP_TABLE", "SVM_VMGEXIT_AP_JUMP_TABLE"],
  [0x8000_0010, "vmgexit_page_state_change", "VMGEXIT_PSC", "SVM_VMGEXIT_PSC"],
  [0x8000_0011, "vmgexit_guest_request", "VMGEXIT_GUEST_REQUEST", "SVM_VMGEXIT_GUEST_REQUEST"],
  [
    0x8000_0012,
    "vmgexit_ext_guest_request",
    "VMGEXIT_EXT_GUEST_REQUEST",
    "SVM_VMGEXIT_EXT_GUEST_REQUEST",
  ],
  [0x8000_0013, "vmgexit_ap_creation", "VMGEXIT_AP_CREATION", "SVM_VMGEXIT_AP_CREATION"],
  [0x8000_0018, "", "VMGEXIT_SNP_RUN_VMPL", "SVM_VMGEXIT_SNP_RUN_VMPL"],
  [0x8000_001a, "", "VMGEXIT_SAVIC", "SVM_VMGEXIT_SAVIC"],
  [0x8000_fffd, "vmgexit_hypervisor_feature", "VMGEXIT_HV_FEATURES", "SVM_VMGEXIT_HV_FEATURES"],
  [0x8000_fffe, "", "VMGEXIT_TERM_REQUEST", "SVM_VMGEXIT_TERM_REQUEST"],
  [0x8000_ffff, "", "VMGEXIT_UNSUPPORTED_EVENT", "SVM_VMGEXIT_UNSUPPORTED_EVENT"],
  // the negative codes (APM Table C-1): VMRUN failed before the guest ran; Linux defines only −1
  [-1, "invalid_guest_state", "ERR", "VMEXIT_INVALID"],
  [-2, "", "", "VMEXIT_BUSY"],
  [-3, "", "", "VMEXIT_IDLE_REQUIRED"],
  [-4, "", "", "VMEXIT_INVALID_PMC"],
];

function entry(code: number, linux: string, constant: string, apm: string): SvmExitCodeInfo {
  return {
    code,
    exitCode: BigInt.asUintN(64, BigInt(code)),
    name: linux === "" ? apm : linux,
    linux: linux === "" ? undefined : linux,
    constant: constant === "" ? undefined : constant,
    apm,
  };
}

function buildTable(): readonly SvmExitCodeInfo[] {
  const out: SvmExitCodeInfo[] = [];
  // 0x000–0x01F: MOV from / to CR0–CR15
  for (const [base, verb, apmVerb] of [
    [0x00, "read", "READ"],
    [0x10, "write", "WRITE"],
  ] as const) {
    for (let n = 0; n < 16; n++) {
      const linux = LINUX_CRS.includes(n);
      out.push(
        entry(
          base + n,
          linux ? `${verb}_cr${n}` : "",
          linux ? `${apmVerb}_CR${n}` : "",
          `VMEXIT_CR${n}_${apmVerb}`,
        ),
      );
    }
  }
  // 0x020–0x03F: MOV from / to DR0–DR15 (Linux names DR0–DR7)
  for (const [base, verb, apmVerb] of [
    [0x20, "read", "READ"],
    [0x30, "write", "WRITE"],
  ] as const) {
    for (let n = 0; n < 16; n++) {
      const linux = n < 8;
      out.push(
        entry(
          base + n,
          linux ? `${verb}_dr${n}` : "",
          linux ? `${apmVerb}_DR${n}` : "",
          `VMEXIT_DR${n}_${apmVerb}`,
        ),
      );
    }
  }
  // 0x040–0x05F: exception vectors 0–31
  for (let v = 0; v < 32; v++) {
    const mnemonic = EXCEPTION_NAMES[v];
    const linux = LINUX_EXCEPTIONS.includes(v);
    out.push(
      entry(
        0x40 + v,
        linux ? `${mnemonic} excp` : "",
        linux ? `EXCP_${mnemonic}` : "",
        `VMEXIT_EXCEPTION_${mnemonic ?? String(v).padStart(2, "0")}`,
      ),
    );
  }
  for (const [code, linux, constant, apm] of MISC) {
    if (code === 0x0a0) {
      // 0x090–0x09F: writes to CR0–CR15 reported after they complete (trap-like)
      for (let n = 0; n < 16; n++) {
        const named = LINUX_CR_TRAPS.includes(n);
        out.push(
          entry(
            0x90 + n,
            named ? `write_cr${n}_trap` : "",
            `CR${n}_WRITE_TRAP`,
            `VMEXIT_CR${n}_WRITE_TRAP`,
          ),
        );
      }
    }
    out.push(entry(code, linux, constant, apm));
  }
  return out;
}

/**
 * Every defined SVM exit code with its names, in code order (0x000 … 0x407, 0xF0000000, the SEV-ES
 * software codes 0x80000001 … 0x8000FFFF, then −1 … −4).
 * @example SVM_EXIT_CODES.find((c) => c.code === 0x400)?.name // "npf"
 */
export const SVM_EXIT_CODES: readonly SvmExitCodeInfo[] = /* @__PURE__ */ buildTable();

/** Index into `SVM_EXIT_CODES` of codes 0x000 … 0x407 (−1: undefined), for decoding without a map lookup. */
const LOW_INDEX: readonly number[] = /* @__PURE__ */ (() => {
  const out = new Array<number>(0x408).fill(-1);
  SVM_EXIT_CODES.forEach((c, i) => {
    if (c.code >= 0 && c.code < 0x408) out[c.code] = i;
  });
  return out;
})();

/** Index into `SVM_EXIT_CODES` of the other codes, by code. */
const HIGH_INDEX: ReadonlyMap<number, number> = /* @__PURE__ */ (() => {
  const out = new Map<number, number>();
  SVM_EXIT_CODES.forEach((c, i) => {
    if (c.code < 0 || c.code >= 0x408) out.set(c.code, i);
  });
  return out;
})();

/**
 * The index in `SVM_EXIT_CODES` of EXITCODE given as its 32-bit halves (the negative codes −1 … −4
 * have an all-ones high half), or −1 when the value is no defined exit code.
 */
export function svmExitCodeIndexOf(lo: number, hi: number): number {
  if (hi === 0) return lo < 0x408 ? (LOW_INDEX[lo] as number) : (HIGH_INDEX.get(lo) ?? -1);
  if (hi === 0xffff_ffff && lo >= 0xffff_fffc) return HIGH_INDEX.get(lo - 0x1_0000_0000) ?? -1;
  return -1;
}

/**
 * The exit code of EXITCODE given as its 32-bit halves, as a number (the negative codes −1 … −4
 * from their all-ones high half), or `undefined` when the value is no defined exit code.
 */
export function svmExitCodeOf(lo: number, hi: number): number | undefined {
  const i = svmExitCodeIndexOf(lo, hi);
  return i < 0 ? undefined : (SVM_EXIT_CODES[i] as SvmExitCodeInfo).code;
}

/** The index in `SVM_EXIT_CODES` of an exit code (as `svmExitCodeOf` numbers it), or −1. */
export function svmExitCodeIndex(code: number): number {
  if (code >= 0 && code < 0x408) return LOW_INDEX[code] as number;
  return HIGH_INDEX.get(code) ?? -1;
}

/**
 * Exit code → the name `kvm_exit` prints (Linux's string, else the APM / Xen name), for every
 * defined code; the negative codes are keys −1 … −4.
 * @example SVM_EXIT_CODE_NAMES[0x7b] // "io"
 */
export const SVM_EXIT_CODE_NAMES: Readonly<Record<number, string>> = /* @__PURE__ */ (() => {
  const out: Record<number, string> = {};
  for (const c of SVM_EXIT_CODES) out[c.code] = c.name;
  return Object.freeze(out);
})();

/** Spelling (lower case) → exit code: Linux's string and constant, `EXIT_` / `SVM_EXIT_` + the constant, the APM name. */
const CODE_BY_NAME: ReadonlyMap<string, number> = /* @__PURE__ */ (() => {
  const out = new Map<string, number>();
  const add = (spelling: string | undefined, code: number) => {
    if (spelling !== undefined) out.set(spelling.toLowerCase(), code);
  };
  for (const c of SVM_EXIT_CODES) {
    add(c.linux, c.code);
    add(c.apm, c.code);
    if (c.apm.startsWith("VMEXIT_")) add(c.apm.slice(7), c.code);
    if (c.constant !== undefined) {
      add(c.constant, c.code);
      add(`EXIT_${c.constant}`, c.code);
      add(`SVM_EXIT_${c.constant}`, c.code);
      if (c.constant.startsWith("VMGEXIT_")) add(`SVM_${c.constant}`, c.code);
    }
  }
  return out;
})();

/**
 * The exit code a name stands for, ignoring case: the string Linux's `kvm_exit` prints (`npf`,
 * `PF excp`, `idle-halt`), libtraceevent's `EXIT_NPF` / `EXIT_EXCP_PF`, Linux's constant
 * (`SVM_EXIT_NPF`, `NPF`), or the APM / Xen name (`VMEXIT_NPF`); `undefined` for anything else.
 * @example svmExitCodeByName("EXIT_IOIO") // 0x7b
 */
export function svmExitCodeByName(name: string): number | undefined {
  return typeof name === "string" ? CODE_BY_NAME.get(name.toLowerCase()) : undefined;
}

/** Exit codes the decoder treats specially (Linux `SVM_EXIT_*`). */
export const SvmExitCode = {
  EXCP_BASE: 0x040,
  INTR: 0x060,
  NMI: 0x061,
  SMI: 0x062,
  INIT: 0x063,
  CR0_SEL_WRITE: 0x065,
  CPUID: 0x072,
  HLT: 0x078,
  INVLPG: 0x079,
  IOIO: 0x07b,
  MSR: 0x07c,
  TASK_SWITCH: 0x07d,
  SHUTDOWN: 0x07f,
  VMMCALL: 0x081,
  MWAIT: 0x08b,
  EFER_WRITE_TRAP: 0x08f,
  CR0_WRITE_TRAP: 0x090,
  IDLE_HLT: 0x0a6,
  NPF: 0x400,
  AVIC_INCOMPLETE_IPI: 0x401,
  AVIC_UNACCELERATED_ACCESS: 0x402,
  VMGEXIT: 0x403,
  ERR: -1,
} as const;
