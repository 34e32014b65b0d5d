// A tiny VMM: the exit loop over a recorded sequence of Intel VMX exits. Each exit is decoded,
// handled against a fake device model with `match`, reads are completed into the guest
// registers the way the CPU would have written them, and RIP steps over the instruction.
//
//   npx tsx examples/emulator-loop.ts
//
// In your own project import from "vmexit" instead of the two source paths below.
import {
  completeIoRead,
  completeMmioRead,
  completeSysRegRead,
  instructionLength,
} from "../src/complete/index";
import {
  decodeVmx,
  formatExit,
  match,
  type VmExit,
  type VmxDecodeOptions,
  type VmxSnapshot,
  X86_REG_NAMES,
  type X86Reg,
} from "../src/index";

/** The guest's general-purpose registers and RIP: the state the VMM owns between exits. */
export type Registers = Record<X86Reg, bigint>;

/** A fake platform: a 16550 UART at port 0x3F8, a timer-like MMIO device at 0xFED00000, two MSRs. */
export class Devices {
  /** What the guest printed on the UART. */
  uart = "";
  /** The MMIO device's control register (offset 0x10). */
  control = 0n;
  private ticks = 0n;
  private readonly msrs = new Map<number, bigint>([[0x1b, 0xfee0_0900n]]); // IA32_APIC_BASE

  /** True for guest-physical addresses this platform emulates. */
  isMmio(gpa: bigint): boolean {
    return gpa >= 0xfed0_0000n && gpa < 0xfed0_1000n;
  }

  /** An MMIO read: ID register (0x00), counter (0x20), status (0x30, bit 7 = busy). */
  mmioRead(gpa: bigint, _width: number): bigint {
    switch (gpa - 0xfed0_0000n) {
      case 0x00n:
        return 0x8086_a201n;
      case 0x20n:
        this.ticks += 1n;
        return this.ticks;
      case 0x30n:
        return 0x80n;
      default:
        return 0n;
    }
  }

  /** An MMIO write: only the control register is writable. */
  mmioWrite(gpa: bigint, _width: number, data: bigint): void {
    if (gpa === 0xfed0_0010n) this.control = data;
  }

  /** IN: the UART's line status register (0x3FD) says the transmitter is empty. */
  portRead(port: number, _width: number): bigint {
    return port === 0x3fd ? 0x60n : 0xffn;
  }

  /** OUT: a byte to the UART's transmit register (0x3F8). */
  portWrite(port: number, _width: number, data: bigint): void {
    if (port === 0x3f8) this.uart += String.fromCharCode(Number(data & 0xffn));
  }

  /** RDMSR (an unknown MSR reads as 0 here; a real VMM would inject #GP). */
  rdmsr(index: number): bigint {
    return this.msrs.get(index) ?? 0n;
  }

  /** WRMSR. */
  wrmsr(index: number, value: bigint): void {
    this.msrs.set(index, value);
  }
}

/** One handled exit: what it was, and the registers the guest resumes with. */
export interface Step {
  readonly exit: string;
  readonly regs: Readonly<Registers>;
}

/** What the loop does after an exit: step over the instruction, run it again, or halt after it. */
type Next = "step" | "retry" | "halt";

/** Writes register `reg` (0–15, x86 encoding order). */
function setReg(regs: Registers, reg: number, value: bigint): void {
  regs[X86_REG_NAMES[reg] as X86Reg] = value;
}

/**
 * Handles one exit: decodes the snapshot, lets the devices answer, completes reads into `regs`,
 * advances RIP. Returns the exit, and whether the vCPU keeps running.
 */
export function handleExit(
  snapshot: VmxSnapshot,
  regs: Registers,
  devices: Devices,
): { exit: VmExit; running: boolean } {
  const options: VmxDecodeOptions = { hypercallAbi: "kvm", isMmio: (gpa) => devices.isMmio(gpa) };
  const { exit } = decodeVmx({ ...snapshot, regs }, options);
  const next: Next = match(exit, {
    MmioRead: (e): Next => {
      const old = regs[X86_REG_NAMES[e.reg >= 16 ? e.reg - 16 : e.reg] as X86Reg];
      const w = completeMmioRead("x86-vmx", e, devices.mmioRead(e.addr, e.width), old);
      setReg(regs, w.reg, w.value);
      return "step";
    },
    MmioWrite: (e): Next => {
      devices.mmioWrite(e.addr, e.width, e.data);
      return "step";
    },
    IoRead: (e): Next => {
      regs.rax = completeIoRead(e, devices.portRead(e.port, e.width), regs.rax);
      return "step";
    },
    IoWrite: (e): Next => {
      devices.portWrite(e.port, e.width, e.data);
      return "step";
    },
    SysRegRead: (e): Next => {
      const { rax, rdx } = completeSysRegRead("x86-vmx", e, devices.rdmsr(e.addr));
      regs.rax = rax;
      regs.rdx = rdx;
      return "step";
    },
    SysRegWrite: (e): Next => {
      devices.wrmsr(e.addr, e.value);
      return "step";
    },
    Hypercall: (e): Next => {
      // this VMM's hypercall 1 adds its first two arguments; others fail with −KVM_ENOSYS (−1000)
      regs.rax = e.nr === 1n ? (e.args[0] + e.args[1]) & 0xffff_ffff_ffff_ffffn : 2n ** 64n - 1000n;
      return "step";
    },
    NestedPageFault: (): Next => "retry", // a real VMM maps guest memory here and re-runs the instruction
    ExternalInterrupt: (): Next => "retry", // the host took its interrupt; the guest resumes where it was
    Halt: (): Next => "halt",
    _: (e): Next => {
      throw new Error(`unhandled exit ${formatExit(e)}`);
    },
  });
  if (next !== "retry") regs.rip += BigInt(instructionLength("x86-vmx", snapshot, options));
  return { exit, running: next !== "halt" };
}

/**
 * Runs the loop over recorded exits, starting from `regs`: every exit's registers are the VMM's
 * current ones (in a live VMM the hardware hands them over; here the recording gives only the
 * exit fields and the registers the guest changed itself since the last exit).
 */
export function runVmm(
  recording: readonly Recorded[],
  initial: Registers,
  devices: Devices,
): Step[] {
  const regs: Registers = { ...initial };
  const steps: Step[] = [];
  for (const { guestWrote, ...snapshot } of recording) {
    Object.assign(regs, guestWrote);
    const { exit, running } = handleExit(snapshot, regs, devices);
    steps.push({ exit: formatExit(exit), regs: { ...regs } });
    if (!running) break;
  }
  return steps;
}

/** A recorded exit: the VMCS fields, plus the registers the guest set since the previous exit. */
export interface Recorded extends Omit<VmxSnapshot, "regs"> {
  readonly guestWrote?: Partial<Registers>;
}

/** The guest's registers when it first exits. */
export const INITIAL: Registers = {
  rax: 0xffff_ffff_ffff_ffffn,
  rbx: 0xfed0_0000n,
  rcx: 0x1111_2222_3333_4444n,
  rdx: 0x3fdn,
  rsi: 0n,
  rdi: 0n,
  rbp: 0n,
  rsp: 0x8000n,
  r8: 0n,
  r9: 0n,
  r10: 0n,
  r11: 0n,
  r12: 0n,
  r13: 0n,
  r14: 0n,
  r15: 0n,
  rip: 0x1000n,
};

/** EPT-violation qualification for a data read / write (bits 0/1) with a valid, final linear address (7, 8). */
const EPT_READ = 0x181;
const EPT_WRITE = 0x182;

/** A small guest's exits: MMIO reads and writes, the UART, an MSR, a hypercall, a page fault, HLT. */
export const RECORDING: readonly Recorded[] = [
  // mov eax, [rbx]: the device's ID register
  {
    exitReason: 48,
    exitQualification: EPT_READ,
    guestPhysicalAddress: 0xfed0_0000n,
    instructionBytes: [0x8b, 0x03],
  },
  // mov ah, [rbx+0x20]: the counter's low byte into bits 15:8 of RAX
  {
    exitReason: 48,
    exitQualification: EPT_READ,
    guestPhysicalAddress: 0xfed0_0020n,
    instructionBytes: [0x8a, 0x63, 0x20],
  },
  // mov dword [rbx+0x10], 1: start the device
  {
    exitReason: 48,
    exitQualification: EPT_WRITE,
    guestPhysicalAddress: 0xfed0_0010n,
    instructionBytes: [0xc7, 0x43, 0x10, 0x01, 0x00, 0x00, 0x00],
  },
  // movsx rcx, byte [rbx+0x30]: the status byte, sign-extended
  {
    exitReason: 48,
    exitQualification: EPT_READ,
    guestPhysicalAddress: 0xfed0_0030n,
    instructionBytes: [0x48, 0x0f, 0xbe, 0x4b, 0x30],
  },
  // in al, dx (DX = 0x3FD, the line status register): qualification size 0, IN, DX, port 0x3FD
  { exitReason: 30, exitQualification: 0x03fd_0008, instructionLength: 1 },
  // out dx, al three times: "Hi\n"
  {
    exitReason: 30,
    exitQualification: 0x03f8_0000,
    instructionLength: 1,
    guestWrote: { rax: 0x48n, rdx: 0x3f8n },
  },
  {
    exitReason: 30,
    exitQualification: 0x03f8_0000,
    instructionLength: 1,
    guestWrote: { rax: 0x69n },
  },
  {
    exitReason: 30,
    exitQualification: 0x03f8_0000,
    instructionLength: 1,
    guestWrote: { rax: 0x0an },
  },
  // rdmsr (ECX = 0x1B, IA32_APIC_BASE)
  { exitReason: 31, instructionLength: 2, guestWrote: { rcx: 0x1bn } },
  // vmcall: hypercall 1 (RAX) with arguments RBX, RCX (the kvm ABI)
  { exitReason: 18, instructionLength: 3, guestWrote: { rax: 1n, rbx: 40n, rcx: 2n } },
  // a fault on RAM the VMM has not mapped yet (outside the device window): no instruction to emulate
  {
    exitReason: 48,
    exitQualification: EPT_READ,
    guestPhysicalAddress: 0x20_0000n,
    instructionBytes: [0x8b, 0x03],
    guestWrote: { rbx: 0x20_0000n },
  },
  // hlt
  { exitReason: 12, instructionLength: 1 },
];

if (
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))
) {
  const devices = new Devices();
  for (const step of runVmm(RECORDING, INITIAL, devices)) {
    console.log(
      `${step.exit.padEnd(80)} rip=0x${step.regs.rip.toString(16)} rax=0x${step.regs.rax.toString(16)}`,
    );
  }
  console.log(`UART: ${JSON.stringify(devices.uart)}`);
}
