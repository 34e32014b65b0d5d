// The decode each codec tab opens with when its link carries no values: the links of the
// playground's documentation, by the codec's link name. A codec without one opens empty.

/** Example `key=value` queries by codec link name. */
export const EXAMPLES: Readonly<Record<string, string>> = {
  // Data abort, ISV=1: LDR x0 (8 bytes), translation fault level 3, IPA page 0x9000 from HPFAR.
  aarch64: "esr=0x93c08007&far=0xffff800012345678&hpfar=0x90000",
  // EPT violation, data read, at GPA 0x1050; 8b 07 is mov eax, [rdi].
  vmx: "reason=48&qual=0x181&gpa=0x1050&bytes=8b07",
  // IOIO: IN, 8-bit, port 0x60 (the PS/2 keyboard data port).
  svm: "code=0x7b&info1=0x600011",
  // Load guest-page fault at GPA 0x8000; htinst holds lw a0 transformed (rs1 and offset cleared).
  riscv: "scause=0x15&stval=0x8000&htval=0x2000&htinst=0x2503",
};
