/** vmexit: one typed vocabulary for VM exits across x86 VMX, AArch64 and RISC-V H. */
export * from "./core/index";
