import { describe, expect, it } from "vitest";
import { Devices, handleExit, INITIAL, RECORDING, runVmm } from "../../examples/emulator-loop";

describe("examples/emulator-loop.ts", () => {
  const devices = new Devices();
  const steps = runVmm(RECORDING, INITIAL, devices);
  const at = (i: number) => steps[i]?.regs;

  it("runs the recording to the HLT", () => {
    expect(steps).toHaveLength(RECORDING.length);
    expect(steps.at(-1)?.exit).toBe("Halt");
    expect(at(11)?.rip).toBe(0x101bn); // past the 1-byte HLT
  });

  it("completes MMIO reads the way an x86 CPU writes the register", () => {
    // mov eax, [rbx] (8B 03, 2 bytes): the 32-bit ID 0x8086A201, bits 63:32 of RAX cleared
    expect(at(0)).toMatchObject({ rax: 0x8086_a201n, rip: 0x1002n });
    // mov ah, [rbx+0x20] (8A 63 20, 3 bytes): counter 1 into bits 15:8, the rest of RAX kept
    expect(at(1)).toMatchObject({ rax: 0x8086_0101n, rip: 0x1005n });
    // mov dword [rbx+0x10], 1 (C7 43 10 imm32, 7 bytes) starts the device
    expect(at(2)?.rip).toBe(0x100cn);
    expect(devices.control).toBe(1n);
    // movsx rcx, byte [rbx+0x30] (48 0F BE 4B 30, 5 bytes): status 0x80 → 0xFFFF_FFFF_FFFF_FF80
    expect(at(3)).toMatchObject({ rcx: 0xffff_ffff_ffff_ff80n, rip: 0x1011n });
  });

  it("completes IN into AL, keeping the rest of RAX, and sends OUTs to the UART", () => {
    expect(at(4)).toMatchObject({ rax: 0x8086_0160n, rip: 0x1012n }); // LSR 0x60 into AL
    expect(devices.uart).toBe("Hi\n");
    expect(at(7)?.rip).toBe(0x1015n);
  });

  it("writes RDMSR's EDX:EAX and a hypercall's result", () => {
    // IA32_APIC_BASE 0xFEE00900: EAX = 0xFEE00900, EDX = 0; RDMSR is 2 bytes
    expect(at(8)).toMatchObject({ rax: 0xfee0_0900n, rdx: 0n, rip: 0x1017n });
    // hypercall 1 (kvm ABI: RBX = 40, RCX = 2) → RAX = 42; VMCALL is 3 bytes
    expect(at(9)).toMatchObject({ rax: 42n, rip: 0x101an });
  });

  it("re-runs an instruction that faulted on unmapped RAM, without stepping", () => {
    expect(steps[10]?.exit).toBe("NestedPageFault { addr: 0x200000, accessFlags: READ }");
    expect(at(10)?.rip).toBe(0x101an);
  });

  it("stops on an exit it does not handle", () => {
    const regs = { ...INITIAL };
    // TRIPLE_FAULT (2) decodes to SystemDown, which this VMM has no handler for
    expect(() => handleExit({ exitReason: 2 }, regs, new Devices())).toThrow(/SystemDown/);
  });
});
