import { describe, expect, it } from "vitest";
import { VmExitError } from "../../core/error";
import { decodeSvmVmcb, readSvmVmcb, SVM_VMCB_SIZE } from "./vmcb";

// VMCB pages built byte by byte, least significant byte first (x86 is little-endian). Offsets are
// those of Linux struct vmcb_control_area / vmcb_save_area, Xen struct vmcb_struct and Bochs:
// EXITCODE 0x070, EXITINFO1 0x078, EXITINFO2 0x080, EXITINTINFO 0x088, its error code 0x08C,
// GHCB GPA 0x0A0, NEXT_RIP 0x0C8, bytes fetched 0x0D0, guest instruction bytes 0x0D1,
// save area (at 0x400): RIP 0x578, RSP 0x5D8, RAX 0x5F8.

/** A zeroed page with `bytes` written from `offset` on. */
function page(
  ...writes: readonly (readonly [offset: number, bytes: readonly number[]])[]
): Uint8Array {
  const p = new Uint8Array(4096);
  for (const [offset, bytes] of writes) p.set(bytes, offset);
  return p;
}

describe("readSvmVmcb / decodeSvmVmcb", () => {
  it("IOIO `in al, 0x60`: EXITCODE 7B, EXITINFO1 00600211, EXITINFO2 (next RIP) 1002", () => {
    const vmcb = page(
      [0x070, [0x7b, 0, 0, 0, 0, 0, 0, 0]],
      [0x078, [0x11, 0x02, 0x60, 0x00, 0, 0, 0, 0]],
      [0x080, [0x02, 0x10, 0, 0, 0, 0, 0, 0]],
      [0x0c8, [0x02, 0x10, 0, 0, 0, 0, 0, 0]],
      [0x578, [0x00, 0x10, 0, 0, 0, 0, 0, 0]],
    );
    expect(readSvmVmcb(vmcb)).toEqual({
      exitCode: 0x7bn,
      exitInfo1: 0x60_0211n,
      exitInfo2: 0x1002n,
      exitIntInfo: 0,
      exitIntInfoErrorCode: 0,
      nextRip: 0x1002n,
      ghcbGpa: 0n,
      regs: { rax: 0n, rsp: 0n, rip: 0x1000n },
    });
    expect(decodeSvmVmcb(vmcb).exit).toEqual({ kind: "IoRead", port: 0x60, width: 1 });
  });

  it("NPF with decode-assist bytes 89 07 (mov [rdi], eax): RAX from the save area, RDI given", () => {
    const vmcb = page(
      [0x070, [0x00, 0x04, 0, 0, 0, 0, 0, 0]],
      // 0x0000000100000006: GUEST_FINAL | US | RW
      [0x078, [0x06, 0, 0, 0, 0x01, 0, 0, 0]],
      // GPA 0x00000000FEBF0000
      [0x080, [0x00, 0x00, 0xbf, 0xfe, 0, 0, 0, 0]],
      [0x0d0, [0x02, 0x89, 0x07]],
      // RAX 0x11223344CAFEF00D
      [0x5f8, [0x0d, 0xf0, 0xfe, 0xca, 0x44, 0x33, 0x22, 0x11]],
      // RSP 0xFFFF800000001000
      [0x5d8, [0x00, 0x10, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff]],
    );
    const s = readSvmVmcb(vmcb, { rdi: 0xfebf_0000n });
    expect(s.instructionBytes).toEqual(Uint8Array.of(0x89, 0x07));
    expect(s.regs).toEqual({
      rax: 0x1122_3344_cafe_f00dn,
      rsp: 0xffff_8000_0000_1000n,
      rip: 0n,
      rdi: 0xfebf_0000n,
    });
    const d = decodeSvmVmcb(vmcb, { rdi: 0xfebf_0000n });
    expect(d.exit).toEqual({ kind: "MmioWrite", addr: 0xfebf_0000n, width: 4, data: 0xcafe_f00dn });
    expect(d.cause).toMatchObject({ class: "npf", fault: { finalTranslation: true, write: true } });
  });

  it("a count of 0 bytes fetched leaves the bytes out: the NPF stays a fault", () => {
    const vmcb = page(
      [0x070, [0x00, 0x04, 0, 0, 0, 0, 0, 0]],
      [0x078, [0x04, 0, 0, 0, 0x01, 0, 0, 0]],
      [0x080, [0x00, 0x20, 0, 0, 0, 0, 0, 0]],
      [0x0d1, [0x8b, 0x07]],
    );
    expect(readSvmVmcb(vmcb)).not.toHaveProperty("instructionBytes");
    expect(decodeSvmVmcb(vmcb).exit).toEqual({
      kind: "NestedPageFault",
      addr: 0x2000n,
      accessFlags: 1,
    });
  });

  it("VMEXIT_INVALID: all 64 bits of EXITCODE set", () => {
    const vmcb = page([0x070, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]);
    expect(decodeSvmVmcb(vmcb).exit).toEqual({
      kind: "FailEntry",
      hardwareEntryFailureReason: 0xffff_ffff_ffff_ffffn,
    });
  });

  it("EXITINTINFO and its error code: #PF (V | EV | type 3 | 14) with error code 2", () => {
    const vmcb = page(
      // task switch 0x07D, EXITINFO1 selector 0x28
      [0x070, [0x7d, 0, 0, 0, 0, 0, 0, 0]],
      [0x078, [0x28, 0, 0, 0, 0, 0, 0, 0]],
      [0x088, [0x0e, 0x0b, 0x00, 0x80]],
      [0x08c, [0x02, 0x00, 0x00, 0x00]],
    );
    const d = decodeSvmVmcb(vmcb);
    expect(d.exit).toEqual({ kind: "Nothing" });
    expect(d.cause).toMatchObject({
      class: "task-switch",
      selector: 0x28,
      // EXITINFO2 0 (no IRET, no JMP) with an event being delivered: an IDT task gate
      source: "task-gate",
      exitIntInfo: { vector: 14, type: "exception", errorCode: 2, valid: true },
    });
  });

  it("VMGEXIT: the GHCB GPA field holds the guest's GHCB MSR protocol request", () => {
    const vmcb = page(
      [0x070, [0x03, 0x04, 0, 0, 0, 0, 0, 0]],
      // 0x0000000000000006: AP reset hold request
      [0x0a0, [0x06, 0, 0, 0, 0, 0, 0, 0]],
    );
    expect(decodeSvmVmcb(vmcb).cause).toMatchObject({
      class: "vmgexit",
      msrProtocol: { request: 6, requestName: "AP reset hold request" },
    });
  });

  it("takes a Uint8Array view into a larger buffer, an ArrayBuffer and a DataView", () => {
    const big = new Uint8Array(3 * 4096);
    big.set([0x78], 4096 + 0x70); // HLT in the second page
    const second = big.subarray(4096, 8192);
    expect(decodeSvmVmcb(second).exit).toEqual({ kind: "Halt" });
    expect(decodeSvmVmcb(big.buffer.slice(4096, 8192)).exit).toEqual({ kind: "Halt" });
    expect(decodeSvmVmcb(new DataView(big.buffer, 4096, 4096)).exit).toEqual({ kind: "Halt" });
  });

  it("refuses what is not one 4 KiB page, and an impossible byte count", () => {
    expect(SVM_VMCB_SIZE).toBe(4096);
    for (const bad of [new Uint8Array(4095), new Uint8Array(8192), [0x78], "vmcb", undefined]) {
      expect(() => readSvmVmcb(bad as never)).toThrow(
        expect.objectContaining({ code: "invalid-argument", field: "vmcb" }),
      );
    }
    // at most 15 bytes are fetched (an x86 instruction's maximum length)
    expect(() => readSvmVmcb(page([0x0d0, [16]]))).toThrow(
      expect.objectContaining({ code: "reserved-encoding", field: "vmcb" }),
    );
    expect(() => readSvmVmcb(page(), 7 as never)).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "regs" }),
    );
    // an undefined exit code in the page: the decoder's error
    expect(() => decodeSvmVmcb(page([0x070, [0xa7]]))).toThrow(VmExitError);
  });
});
