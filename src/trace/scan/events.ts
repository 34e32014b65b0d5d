// The events the reader understands, by number: a line's event name is matched against this
// table byte by byte (no string is built for it).

/** No `event:` column. */
export const EV_NONE = 0;
/** An event the reader does not use (counted as other). */
export const EV_OTHER = 1;
/** `kvm_exit`. */
export const EV_EXIT = 2;
/** `kvm_entry`. */
export const EV_ENTRY = 3;
/** x86 `kvm_page_fault`: GPA and error code (VMX: the exit qualification; SVM: EXITINFO1). */
export const EV_PAGE_FAULT = 4;
/** x86 `kvm_emulate_insn`: the instruction bytes KVM emulates and the CPU mode. */
export const EV_EMULATE_INSN = 5;
/** `kvm_mmio`: an emulated MMIO access (type, length, GPA, value). */
export const EV_MMIO = 6;
/** x86 `kvm_fast_mmio`: an ioeventfd write that skipped emulation. */
export const EV_FAST_MMIO = 7;
/** x86 `kvm_pio`: port I/O (direction, port, size, count, value). */
export const EV_PIO = 8;
/** x86 `kvm_msr`: RDMSR/WRMSR (direction, index, value, #GP). */
export const EV_MSR = 9;
/** x86 `kvm_hypercall`: nr and a0–a3 (the KVM ABI). */
export const EV_HYPERCALL = 10;
/** x86 `kvm_apic_ipi`: an IPI sent through the ICR. */
export const EV_APIC_IPI = 11;
/** x86 `kvm_apic`: a local APIC register access. */
export const EV_APIC = 12;
/** AMD `kvm_avic_incomplete_ipi`. */
export const EV_AVIC_IPI = 13;
/** AMD `kvm_avic_unaccelerated_access`. */
export const EV_AVIC_ACCESS = 14;
/** arm64 `kvm_guest_fault` (ipa, hsr = ESR_EL2, hxfar = FAR_EL2); also RISC-V's variant. */
export const EV_GUEST_FAULT = 15;
/** arm64 `kvm_handle_sys_reg`: the ESR_EL2 of a SYS64 trap. */
export const EV_HANDLE_SYS_REG = 16;
/** arm64 `kvm_sys_access`: the system register (Op0, Op1, CRn, CRm, Op2) and direction. */
export const EV_SYS_ACCESS = 17;
/** arm64 `kvm_hvc_arm64`: x0 and the HVC immediate. */
export const EV_HVC_ARM64 = 18;
/** arm64 `kvm_wfx_arm64`: WFE or WFI. */
export const EV_WFX_ARM64 = 19;
/** arm64 / RISC-V `kvm_mmio_emulate`: the instruction word of an emulated access. */
export const EV_MMIO_EMULATE = 20;
/** RISC-V `kvm_sbi_ecall` (out-of-tree trees): extension, function and a0. */
export const EV_SBI_ECALL = 21;
/** x86 `kvm_nested_vmexit`: an L2 exit seen by L0, not an exit of the traced guest. */
export const EV_NESTED_VMEXIT = 22;

/** The event names by number (index = event id). */
export const EVENT_NAMES: readonly string[] = [
  "",
  "",
  "kvm_exit",
  "kvm_entry",
  "kvm_page_fault",
  "kvm_emulate_insn",
  "kvm_mmio",
  "kvm_fast_mmio",
  "kvm_pio",
  "kvm_msr",
  "kvm_hypercall",
  "kvm_apic_ipi",
  "kvm_apic",
  "kvm_avic_incomplete_ipi",
  "kvm_avic_unaccelerated_access",
  "kvm_guest_fault",
  "kvm_handle_sys_reg",
  "kvm_sys_access",
  "kvm_hvc_arm64",
  "kvm_wfx_arm64",
  "kvm_mmio_emulate",
  "kvm_sbi_ecall",
  "kvm_nested_vmexit",
];

/** Known names grouped by length, as bytes, for matching without building a string. */
const BY_LENGTH: readonly (readonly (readonly [Uint8Array, number])[])[] = /* @__PURE__ */ (() => {
  const out: [Uint8Array, number][][] = [];
  EVENT_NAMES.forEach((name, id) => {
    if (name === "") return;
    const bytes = new Uint8Array(name.length);
    for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
    let list = out[name.length];
    if (list === undefined) {
      list = [];
      out[name.length] = list;
    }
    list.push([bytes, id]);
  });
  return out;
})();

/** The id of the event named by `buf[start, end)`: a known event, or `EV_OTHER`. */
export function eventId(buf: Uint8Array, start: number, end: number): number {
  const list = BY_LENGTH[end - start];
  if (list === undefined) return EV_OTHER;
  // every known name starts with "kvm_"; the rest is compared name by name
  if (
    buf[start] !== 0x6b ||
    buf[start + 1] !== 0x76 ||
    buf[start + 2] !== 0x6d ||
    buf[start + 3] !== 0x5f
  )
    return EV_OTHER;
  const n = end - start;
  for (let k = 0; k < list.length; k++) {
    const entry = list[k] as readonly [Uint8Array, number];
    const bytes = entry[0];
    let i = 4;
    while (i < n && buf[start + i] === bytes[i]) i++;
    if (i === n) return entry[1];
  }
  return EV_OTHER;
}
