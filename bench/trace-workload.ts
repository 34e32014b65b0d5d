// A generated, realistic mixed KVM trace: x86 VMX vCPUs in the current format with companion
// events, an x86 guest traced by an old kernel (`info A B`, `kvm_page_fault` without 0x, `kvm_pio`
// without `val`), an arm64 guest (kvm_guest_fault, kvm_mmio, kvm_handle_sys_reg, kvm_sys_access,
// kvm_hvc_arm64, kvm_wfx_arm64) and a RISC-V guest (kvm_mmio), each vCPU a thread of its own,
// their lines interleaved. Field values follow the tracepoint formats (see docs/traces.md).
import { seededRandom } from "./harness";

type Emit = (line: string) => void;

/** A vCPU thread of the generated trace: its line prefix and a generator of one exit with its companions. */
export interface Vcpu {
  readonly head: (flags: string, t: string) => string;
  readonly exit: (emit: Emit, t: () => string, rand: () => number) => void;
}

const hex16 = (v: number | bigint): string => v.toString(16).padStart(16, "0");

/** An Intel guest traced by a current kernel (format with info1/info2/intr_info/error_code/requests). */
export function x86New(cpuName: string, pid: number, cpu: number, vcpu: number): Vcpu {
  const head = (flags: string, t: string) =>
    `  ${cpuName}-${pid} [${String(cpu).padStart(3, "0")}] ${flags} ${t}:`;
  const exitLine = (t: string, reason: string, rip: bigint, info1: number, intr = 0) =>
    `${head("d..1.", t)} kvm_exit: vcpu ${vcpu} reason ${reason} rip 0x${rip.toString(16)} info1 0x${hex16(info1)} info2 0x${hex16(0)} intr_info 0x${intr.toString(16).padStart(8, "0")} error_code 0x00000000 requests 0x0000000000000000`;
  const entry = (t: string, rip: bigint) =>
    `${head("d..1.", t)} kvm_entry: vcpu ${vcpu}, rip 0x${rip.toString(16)} intr_info 0x00000000 error_code 0x00000000`;
  return {
    head,
    exit(emit, t, rand) {
      const rip = 0xffffffff81000000n + BigInt(Math.floor(rand() * 0x100000)) * 4n;
      const r = rand();
      if (r < 0.3) {
        // MMIO write through EPT violation: 89 07 = mov [rdi], eax
        const gpa = 0xfebf0000 + Math.floor(rand() * 16) * 4;
        emit(exitLine(t(), "EPT_VIOLATION", rip, 0x182));
        emit(
          `${head(".....", t())} kvm_page_fault: vcpu ${vcpu} rip 0x${rip.toString(16)} address 0x${hex16(gpa)} error_code 0x182`,
        );
        emit(`${head(".....", t())} kvm_emulate_insn: 0:${rip.toString(16)}:89 07 (prot64)`);
        emit(
          `${head(".....", t())} kvm_mmio: mmio write len 4 gpa 0x${gpa.toString(16)} val 0x${Math.floor(rand() * 0xffff).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.4) {
        // MMIO read with the userspace round trip: 8b 07 = mov eax, [rdi]
        const gpa = 0xfebf1000 + Math.floor(rand() * 16) * 4;
        emit(exitLine(t(), "EPT_VIOLATION", rip, 0x181));
        emit(
          `${head(".....", t())} kvm_page_fault: vcpu ${vcpu} rip 0x${rip.toString(16)} address 0x${hex16(gpa)} error_code 0x181`,
        );
        emit(`${head(".....", t())} kvm_emulate_insn: 0:${rip.toString(16)}:8b 07 (prot64)`);
        emit(
          `${head(".....", t())} kvm_mmio: mmio unsatisfied-read len 4 gpa 0x${gpa.toString(16)} val 0x0`,
        );
        emit(`${head(".....", t())} kvm_userspace_exit: reason KVM_EXIT_MMIO (6)`);
        emit(
          `${head(".....", t())} kvm_mmio: mmio read len 4 gpa 0x${gpa.toString(16)} val 0x${Math.floor(rand() * 0xffff).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.42) {
        // a virtio notify: an ioeventfd write KVM skips without emulating
        emit(exitLine(t(), "EPT_MISCONFIG", rip, 0));
        emit(`${head(".....", t())} kvm_fast_mmio: fast mmio at gpa 0xfebd3000`);
        emit(entry(t(), rip + 3n));
      } else if (r < 0.52) {
        // OUT dx, al to the serial port: qualification port 0x3f8 << 16 | DX-encoded (bit 6 0), size 1
        emit(exitLine(t(), "IO_INSTRUCTION", rip, 0x03f80000));
        emit(
          `${head(".....", t())} kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x${(0x20 + Math.floor(rand() * 90)).toString(16)} `,
        );
        emit(entry(t(), rip + 1n));
      } else if (r < 0.55) {
        // IN al, 0x60 (qualification 0x60 << 16 | IN bit 3 | immediate bit 6): the value comes back
        // from userspace before the next entry
        emit(exitLine(t(), "IO_INSTRUCTION", rip, 0x00600048));
        emit(`${head(".....", t())} kvm_userspace_exit: reason KVM_EXIT_IO (2)`);
        emit(
          `${head(".....", t())} kvm_pio: pio_read at 0x60 size 1 count 1 val 0x${Math.floor(rand() * 0xff).toString(16)} `,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.65) {
        // WRMSR TSC_DEADLINE (0x6e0)
        emit(exitLine(t(), "MSR_WRITE", rip, 0));
        emit(
          `${head(".....", t())} kvm_msr: msr_write 6e0 = 0x${(0x1000000 + Math.floor(rand() * 0xffffff)).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.7) {
        // an x2APIC IPI: WRMSR 0x830 with ICR = destination 1 : fixed, vector 0xfb
        emit(exitLine(t(), "MSR_WRITE", rip, 0));
        emit(`${head(".....", t())} kvm_apic_ipi: dst 1 vec 251 (Fixed|physical|assert|edge|dst)`);
        emit(`${head(".....", t())} kvm_msr: msr_write 830 = 0x1000000fb`);
        emit(entry(t(), rip + 2n));
      } else if (r < 0.8) {
        // external interrupt, vector 0xec (local timer)
        emit(exitLine(t(), "EXTERNAL_INTERRUPT", rip, 0, 0x800000ec));
        emit(entry(t(), rip));
      } else if (r < 0.88) {
        emit(exitLine(t(), "HLT", rip, 0));
        emit(entry(t(), rip + 1n));
      } else if (r < 0.94) {
        // KVM_HC_KICK_CPU (5)
        emit(exitLine(t(), "VMCALL", rip, 0));
        emit(`${head(".....", t())} kvm_hypercall: nr 0x5 a0 0x0 a1 0x1 a2 0x0 a3 0x0`);
        emit(entry(t(), rip + 3n));
      } else {
        emit(exitLine(t(), "CPUID", rip, 0));
        emit(entry(t(), rip + 2n));
      }
    },
  };
}

/** An Intel guest traced by an old kernel through trace-cmd report (`info A B`, old kvm_page_fault and kvm_pio). */
export function x86Old(pid: number, cpu: number): Vcpu {
  const head = (_flags: string, t: string) =>
    `    qemu-kvm-${pid}  [${String(cpu).padStart(3, "0")}] ${t}:`;
  const exitLine = (t: string, reason: string, rip: bigint, a: string, b: string) =>
    `${head("", t)} kvm_exit:             reason ${reason} rip 0x${rip.toString(16)} info ${a} ${b}`;
  const entry = (t: string) => `${head("", t)} kvm_entry:            vcpu 0`;
  return {
    head,
    exit(emit, t, rand) {
      const rip = 0xffffffff8105e000n + BigInt(Math.floor(rand() * 0x1000));
      const r = rand();
      if (r < 0.4) {
        const gpa = 0x7fc036d000 + Math.floor(rand() * 64) * 0x1000;
        emit(exitLine(t(), "EPT_VIOLATION", rip, "184", "0"));
        emit(`${head("", t())} kvm_page_fault:       address ${gpa.toString(16)} error_code 184`);
        emit(entry(t()));
      } else if (r < 0.6) {
        emit(exitLine(t(), "IO_INSTRUCTION", rip, "3f80000", "0"));
        emit(`${head("", t())} kvm_pio:              pio_write at 0x3f8 size 1 count 1`);
        emit(entry(t()));
      } else if (r < 0.8) {
        emit(exitLine(t(), "EXTERNAL_INTERRUPT", rip, "0", "800000ef"));
        emit(entry(t()));
      } else {
        emit(exitLine(t(), "HLT", rip, "0", "0"));
        emit(entry(t()));
      }
    },
  };
}

/** An arm64 guest. */
export function arm64(cpuName: string, pid: number, cpu: number): Vcpu {
  const head = (flags: string, t: string) =>
    `  ${cpuName}-${pid} [${String(cpu).padStart(3, "0")}] ${flags} ${t}:`;
  const exitLine = (t: string, ec: string, pc: bigint) =>
    `${head("d..1.", t)} kvm_exit: TRAP: HSR_EC: ${ec}, PC: 0x${hex16(pc)}`;
  const entry = (t: string, pc: bigint) => `${head("d..1.", t)} kvm_entry: PC: 0x${hex16(pc)}`;
  return {
    head,
    exit(emit, t, rand) {
      const pc = 0xffff800080010000n + BigInt(Math.floor(rand() * 0x10000)) * 4n;
      const r = rand();
      if (r < 0.45) {
        // str w2, [x1]: ESR 0x93820046 (ISV, SAS 2, SRT 2, WnR, DFSC translation L2)
        const ipa = 0x9000000;
        emit(exitLine(t(), "0x0024 (DABT_LOW)", pc));
        emit(
          `${head(".....", t())} kvm_guest_fault: ipa 0x${ipa.toString(16)}, hsr 0x93820046, hxfar 0xffff800082000000, pc 0x${hex16(pc)}`,
        );
        emit(
          `${head(".....", t())} kvm_mmio: mmio write len 4 gpa 0x${ipa.toString(16)} val 0x${Math.floor(rand() * 0xfff).toString(16)}`,
        );
        emit(entry(t(), pc + 4n));
      } else if (r < 0.55) {
        // ldr x3, [x1, #0x18]: ESR 0x93c38006 (SAS 3, SRT 3, SF), read
        emit(exitLine(t(), "0x0024 (DABT_LOW)", pc));
        emit(
          `${head(".....", t())} kvm_guest_fault: ipa 0x8010000, hsr 0x93c38006, hxfar 0xffff800082010018, pc 0x${hex16(pc)}`,
        );
        emit(`${head(".....", t())} kvm_mmio: mmio unsatisfied-read len 8 gpa 0x8010018 val 0x0`);
        emit(
          `${head(".....", t())} kvm_mmio: mmio read len 8 gpa 0x8010018 val 0x${Math.floor(rand() * 0xfff).toString(16)}`,
        );
        emit(entry(t(), pc + 4n));
      } else if (r < 0.65) {
        // mrs x0, cntvct_el0: ISS = Op0 3 << 20 | Op2 2 << 17 | Op1 3 << 14 | CRn 14 << 10 | Rt 0 | CRm 0 | read
        emit(exitLine(t(), "0x0018 (SYS64)", pc));
        emit(`${head(".....", t())} kvm_handle_sys_reg: HSR 0x6234f801`);
        emit(
          `${head(".....", t())} kvm_sys_access: PC: ${pc.toString(16)} CNTVCT_EL0 (3,3,14,0,2) read`,
        );
        emit(entry(t(), pc + 4n));
      } else if (r < 0.7) {
        // msr icc_sgi1r_el1, x1: ISS = 3 << 20 | 5 << 17 | 0 << 14 | 12 << 10 | Rt 1 << 5 | 11 << 1 | write
        emit(exitLine(t(), "0x0018 (SYS64)", pc));
        emit(`${head(".....", t())} kvm_handle_sys_reg: HSR 0x623a3036`);
        emit(
          `${head(".....", t())} kvm_sys_access: PC: ${pc.toString(16)} ICC_SGI1R_EL1 (3,0,12,11,5) write`,
        );
        emit(entry(t(), pc + 4n));
      } else if (r < 0.8) {
        // PSCI CPU_SUSPEND
        emit(exitLine(t(), "0x0016 (HVC64)", pc));
        emit(
          `${head(".....", t())} kvm_hvc_arm64: HVC at 0x${hex16(pc)} (r0: 0x${hex16(0x84000001)}, imm: 0x0)`,
        );
        emit(entry(t(), pc + 4n));
      } else if (r < 0.9) {
        emit(exitLine(t(), "0x0001 (WFx)", pc));
        emit(`${head(".....", t())} kvm_wfx_arm64: guest executed wfi at: 0x${hex16(pc)}`);
        emit(entry(t(), pc + 4n));
      } else {
        emit(`${head("d..1.", t())} kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x${hex16(pc)}`);
        emit(entry(t(), pc));
      }
    },
  };
}

/** A RISC-V guest. */
export function riscv(cpuName: string, pid: number, cpu: number): Vcpu {
  const head = (flags: string, t: string) =>
    `   ${cpuName}-${pid} [${String(cpu).padStart(3, "0")}] ${flags} ${t}:`;
  const exitLine = (
    t: string,
    sepc: bigint,
    scause: string,
    stval: string,
    htval: string,
    htinst: string,
  ) =>
    `${head("d..1.", t)} kvm_exit: SEPC:0x${sepc.toString(16)}, SCAUSE:0x${scause}, STVAL:0x${stval}, HTVAL:0x${htval}, HTINST:0x${htinst}`;
  const entry = (t: string, pc: bigint) => `${head("d..1.", t)} kvm_entry: PC: 0x${hex16(pc)}`;
  return {
    head,
    exit(emit, t, rand) {
      const sepc = 0xffffffff80a00000n + BigInt(Math.floor(rand() * 0x1000)) * 4n;
      const r = rand();
      if (r < 0.4) {
        // lbu a5, 0(a0) at GPA 0x10000005: htinst 0x4783 (transformed c.lbu-like encoding)
        emit(exitLine(t(), sepc, "15", "ff60000010000005", "4000001", "4783"));
        emit(`${head(".....", t())} kvm_mmio: mmio read len 1 gpa 0x10000005 val 0x60`);
        emit(entry(t(), sepc + 2n));
      } else if (r < 0.7) {
        // sw a4, 0(a5) at GPA 0x10001000: htinst 0xe02023 = the transformed store (rs2 14 << 20 | SW | STORE)
        emit(exitLine(t(), sepc, "17", "ff60000010001000", "4000400", "e02023"));
        emit(
          `${head(".....", t())} kvm_mmio: mmio write len 4 gpa 0x10001000 val 0x${Math.floor(rand() * 0xffff).toString(16)}`,
        );
        emit(entry(t(), sepc + 4n));
      } else if (r < 0.85) {
        emit(exitLine(t(), sepc, "8000000000000005", "0", "0", "0"));
        emit(entry(t(), sepc));
      } else {
        // wfi: virtual instruction, stval = the instruction
        emit(exitLine(t(), sepc, "16", "10500073", "0", "0"));
        emit(entry(t(), sepc + 4n));
      }
    },
  };
}

/** An AMD guest traced by the kernel (new format, `vcpu N reason npf …`). */
export function svm(cpuName: string, pid: number, cpu: number, vcpu: number): Vcpu {
  const head = (flags: string, t: string) =>
    `  ${cpuName}-${pid} [${String(cpu).padStart(3, "0")}] ${flags} ${t}:`;
  const exitLine = (
    t: string,
    reason: string,
    rip: bigint,
    info1: bigint | number,
    info2: bigint | number,
  ) =>
    `${head("d..1.", t)} kvm_exit: vcpu ${vcpu} reason ${reason} rip 0x${rip.toString(16)} info1 0x${hex16(info1)} info2 0x${hex16(info2)} intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000`;
  const entry = (t: string, rip: bigint) =>
    `${head("d..1.", t)} kvm_entry: vcpu ${vcpu}, rip 0x${rip.toString(16)} intr_info 0x00000000 error_code 0x00000000`;
  return {
    head,
    exit(emit, t, rand) {
      const rip = 0xffffffff81200000n + BigInt(Math.floor(rand() * 0x10000)) * 4n;
      const r = rand();
      if (r < 0.4) {
        // NPF on an MMIO page: EXITINFO1 = bit 32 (final translation) | RSVD | US | W | P, EXITINFO2 = GPA
        const gpa = 0xfebf0000 + Math.floor(rand() * 16) * 4;
        emit(exitLine(t(), "npf", rip, 0x10000000fn, gpa));
        emit(
          `${head(".....", t())} kvm_page_fault: vcpu ${vcpu} rip 0x${rip.toString(16)} address 0x${hex16(gpa)} error_code 0x10000000f`,
        );
        emit(`${head(".....", t())} kvm_emulate_insn: 0:${rip.toString(16)}:89 07 (prot64)`);
        emit(
          `${head(".....", t())} kvm_mmio: mmio write len 4 gpa 0x${gpa.toString(16)} val 0x${Math.floor(rand() * 0xffff).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.7) {
        // OUT dx, al to 0x3f8: EXITINFO1 = 0x3f8 << 16 | SZ8 (bit 4), EXITINFO2 = next RIP
        emit(exitLine(t(), "io", rip, 0x03f80010, rip + 1n));
        emit(
          `${head(".....", t())} kvm_pio: pio_write at 0x3f8 size 1 count 1 val 0x${(0x20 + Math.floor(rand() * 90)).toString(16)} `,
        );
        emit(entry(t(), rip + 1n));
      } else if (r < 0.85) {
        // WRMSR (EXITINFO1 = 1) TSC_DEADLINE
        emit(exitLine(t(), "msr", rip, 1, 0));
        emit(
          `${head(".....", t())} kvm_msr: msr_write 6e0 = 0x${(0x1000000 + Math.floor(rand() * 0xffffff)).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else {
        emit(exitLine(t(), "hlt", rip, 0, 0));
        emit(entry(t(), rip + 1n));
      }
    },
  };
}

/** An x86 guest as `perf script` prints it through libtraceevent's kvm plugin on a new kernel. */
export function perfScript(pid: number, cpu: number, vcpu: number): Vcpu {
  const head = (_flags: string, t: string) =>
    `CPU ${vcpu}/KVM ${pid} [${String(cpu).padStart(3, "0")}] ${t}:`;
  const exitLine = (t: string, reason: string, rip: bigint, a: string, b: string) =>
    `${head("", t)} kvm:kvm_exit: reason ${reason} rip 0x${rip.toString(16)} info ${a} ${b}`;
  const entry = (t: string, rip: bigint) =>
    `${head("", t)} kvm:kvm_entry: vcpu ${vcpu}, rip 0x${rip.toString(16)}`;
  return {
    head,
    exit(emit, t, rand) {
      const rip = 0xffffffff81300000n + BigInt(Math.floor(rand() * 0x10000)) * 4n;
      const r = rand();
      if (r < 0.4) {
        const gpa = 0xfee00000 + 0xb0;
        // a write to the xAPIC EOI register: the plugin prints the bytes, no mode
        emit(exitLine(t(), "EPT_MISCONFIG", rip, "0", "0"));
        emit(`${head("", t())} kvm:kvm_emulate_insn: 0:${rip.toString(16)}: 89 07`);
        emit(`${head("", t())} kvm:kvm_mmio: mmio write len 4 gpa 0x${gpa.toString(16)} val 0x0`);
        emit(entry(t(), rip + 2n));
      } else if (r < 0.6) {
        emit(exitLine(t(), "MSR_WRITE", rip, "0", "0"));
        emit(
          `${head("", t())} kvm:kvm_msr: msr_write 6e0 = 0x${(0x1000000 + Math.floor(rand() * 0xffffff)).toString(16)}`,
        );
        emit(entry(t(), rip + 2n));
      } else if (r < 0.7) {
        // a nested exit (L2 → L0): not an exit of this guest; libtraceevent prints its blurbs
        emit(
          `${head("", t())} kvm:kvm_nested_vmexit: CAN'T FIND FIELD "rip"<CANT FIND FIELD exit_code>vcpu ${vcpu} reason EPT_VIOLATION rip 0x1000 info1 0x0000000000000181 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000`,
        );
        emit(exitLine(t(), "HLT", rip, "0", "0"));
        emit(entry(t(), rip + 1n));
      } else if (r < 0.85) {
        // the plugin's table lacks BUS_LOCK (74)
        emit(exitLine(t(), "UNKNOWN (74)", rip, "0", "0"));
        emit(entry(t(), rip));
      } else {
        emit(exitLine(t(), "EXTERNAL_INTERRUPT", rip, "0", "0"));
        emit(entry(t(), rip));
      }
    },
  };
}

/**
 * Writes `count` lines of the mixed workload (seeded: the same text every run) to `emit`. The
 * vCPUs' lines interleave: each step emits the next line of a randomly chosen vCPU.
 */
export function mixedTrace(count: number, emit: Emit, seed = 7, vcpus = mixedVcpus()): void {
  const rand = seededRandom(seed);
  const queues: string[][] = vcpus.map(() => []);
  let ns = 1_000_000_000_000n;
  const now = (): string => {
    ns += BigInt(1 + Math.floor(rand() * 900));
    return `${ns / 1_000_000_000n}.${((ns % 1_000_000_000n) / 1000n).toString().padStart(6, "0")}`;
  };
  for (let n = 0; n < count; n++) {
    const i = Math.floor(rand() * vcpus.length);
    const q = queues[i] as string[];
    if (q.length === 0)
      (vcpus[i] as Vcpu).exit(
        (line) => q.push(line),
        () => "@T@",
        rand,
      );
    emit((q.shift() as string).replace("@T@", now()));
  }
}

/** The vCPUs of the bench's mixed trace: two current x86, an old x86, two arm64, a RISC-V. */
export function mixedVcpus(): Vcpu[] {
  return [
    x86New("CPU 0/KVM", 4121, 2, 0),
    x86New("CPU 1/KVM", 4122, 3, 1),
    x86Old(2841, 1),
    arm64("CPU 0/KVM", 2201, 5),
    arm64("CPU 1/KVM", 2202, 6),
    riscv("CPU 0/KVM", 731, 0),
  ];
}
