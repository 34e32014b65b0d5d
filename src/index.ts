/** vmexit: one typed vocabulary for VM exits across x86 VMX, AArch64 and RISC-V H. */
export * from "./aarch64/index";
export { ARCHES, canEncode, codecByName, codecOf, codecs } from "./codecs";
export * from "./complete/index";
export * from "./core/index";
export * from "./riscv/index";
export * from "./trace/index";
export * from "./x86/index";
