import { describe, expect, it } from "vitest";
import { SVM_EXIT_CODE_NAMES, SVM_EXIT_CODES, svmExitCodeByName, svmExitCodeOf } from "./codes";

// The Linux strings are SVM_EXIT_REASONS of arch/x86/include/uapi/asm/svm.h (with the SEV-ES
// software codes and "idle-halt", "buslock" of later kernels); the APM / Xen names those of Xen's
// enum VMEXIT_EXITCODE (xen/arch/x86/hvm/svm/vmcb.h).
describe("SVM_EXIT_CODES", () => {
  it("lists every code once, in order, with a name", () => {
    const codes = SVM_EXIT_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    // 0x000–0x0A6 are all defined: CR 0–15 read/write, DR 0–15 read/write, 32 exceptions, 0x060–0x0A6
    for (let code = 0; code <= 0xa6; code++) expect(codes).toContain(code);
    expect(codes).not.toContain(0xa7);
    expect(codes.filter((c) => c >= 0x400 && c < 0x1000)).toEqual([
      0x400, 0x401, 0x402, 0x403, 0x407,
    ]);
    expect(codes.filter((c) => c < 0)).toEqual([-1, -2, -3, -4]);
    for (const c of SVM_EXIT_CODES) {
      expect(c.name).toBe(c.linux ?? c.apm);
      expect(c.exitCode).toBe(BigInt.asUintN(64, BigInt(c.code)));
    }
  });

  it.each([
    [0x000, "read_cr0", "READ_CR0", "VMEXIT_CR0_READ"],
    [0x018, "write_cr8", "WRITE_CR8", "VMEXIT_CR8_WRITE"],
    [0x027, "read_dr7", "READ_DR7", "VMEXIT_DR7_READ"],
    [0x038, undefined, undefined, "VMEXIT_DR8_WRITE"],
    [0x04e, "PF excp", "EXCP_PF", "VMEXIT_EXCEPTION_PF"],
    [0x053, "XF excp", "EXCP_XF", "VMEXIT_EXCEPTION_XF"],
    [0x049, undefined, undefined, "VMEXIT_EXCEPTION_09"],
    [0x055, undefined, undefined, "VMEXIT_EXCEPTION_CP"],
    [0x060, "interrupt", "INTR", "VMEXIT_INTR"],
    [0x069, "read_rt", "TR_READ", "VMEXIT_TR_READ"],
    [0x07b, "io", "IOIO", "VMEXIT_IOIO"],
    [0x081, "hypercall", "VMMCALL", "VMEXIT_VMMCALL"],
    [0x08e, undefined, "RDPRU", "VMEXIT_RDPRU"],
    [0x090, "write_cr0_trap", "CR0_WRITE_TRAP", "VMEXIT_CR0_WRITE_TRAP"],
    [0x091, undefined, "CR1_WRITE_TRAP", "VMEXIT_CR1_WRITE_TRAP"],
    [0x0a2, "invpcid", "INVPCID", "VMEXIT_INVPCID"],
    [0x0a5, "buslock", "BUS_LOCK", "VMEXIT_BUS_LOCK"],
    [0x0a6, "idle-halt", "IDLE_HLT", "VMEXIT_IDLE_HLT"],
    [0x400, "npf", "NPF", "VMEXIT_NPF"],
    [0x402, "avic_unaccelerated_access", "AVIC_UNACCELERATED_ACCESS", "VMEXIT_AVIC_NOACCEL"],
    [0x8000_0013, "vmgexit_ap_creation", "VMGEXIT_AP_CREATION", "SVM_VMGEXIT_AP_CREATION"],
    [0x8000_fffd, "vmgexit_hypervisor_feature", "VMGEXIT_HV_FEATURES", "SVM_VMGEXIT_HV_FEATURES"],
    [-1, "invalid_guest_state", "ERR", "VMEXIT_INVALID"],
    [-2, undefined, undefined, "VMEXIT_BUSY"],
  ])("0x%s: %s / %s / %s", (code, linux, constant, apm) => {
    const c = SVM_EXIT_CODES.find((e) => e.code === code);
    expect(c).toMatchObject({ linux, constant, apm });
    expect(SVM_EXIT_CODE_NAMES[code]).toBe(linux ?? apm);
  });

  it("looks names up in every spelling, ignoring case", () => {
    // Linux's strings, libtraceevent's EXIT_ names, Linux's constants, the APM / Xen names
    expect(svmExitCodeByName("npf")).toBe(0x400);
    expect(svmExitCodeByName("EXIT_NPF")).toBe(0x400);
    expect(svmExitCodeByName("SVM_EXIT_NPF")).toBe(0x400);
    expect(svmExitCodeByName("VMEXIT_NPF")).toBe(0x400);
    expect(svmExitCodeByName("NPF")).toBe(0x400);
    expect(svmExitCodeByName("EXIT_IOIO")).toBe(0x7b);
    expect(svmExitCodeByName("pf EXCP")).toBe(0x4e);
    expect(svmExitCodeByName("EXIT_EXCP_GP")).toBe(0x4d);
    expect(svmExitCodeByName("EXIT_ERR")).toBe(-1);
    expect(svmExitCodeByName("invalid_guest_state")).toBe(-1);
    expect(svmExitCodeByName("VMEXIT_BUSY")).toBe(-2);
    expect(svmExitCodeByName("SVM_VMGEXIT_MMIO_READ")).toBe(0x8000_0001);
    expect(svmExitCodeByName("vmgexit_mmio_read")).toBe(0x8000_0001);
    expect(svmExitCodeByName("VMEXIT_CR1_READ")).toBe(0x01);
    expect(svmExitCodeByName("EXIT_MWAIT_COND")).toBe(0x8c);
    expect(svmExitCodeByName("mwait_cond")).toBe(0x8c);
    expect(svmExitCodeByName("EPT_VIOLATION")).toBeUndefined();
    expect(svmExitCodeByName("")).toBeUndefined();
    expect(svmExitCodeByName(5 as never)).toBeUndefined();
  });

  it("reads EXITCODE halves: the negative codes have an all-ones high half", () => {
    expect(svmExitCodeOf(0x7b, 0)).toBe(0x7b);
    expect(svmExitCodeOf(0xffff_ffff, 0xffff_ffff)).toBe(-1);
    expect(svmExitCodeOf(0xffff_fffc, 0xffff_ffff)).toBe(-4);
    expect(svmExitCodeOf(0xffff_fffb, 0xffff_ffff)).toBeUndefined();
    expect(svmExitCodeOf(0xffff_ffff, 0)).toBeUndefined();
    expect(svmExitCodeOf(0x7b, 1)).toBeUndefined();
    expect(svmExitCodeOf(0x8000_0001, 0)).toBe(0x8000_0001);
  });
});
