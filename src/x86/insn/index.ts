export type {
  X86CpuMode,
  X86MemAccess,
  X86MemAccessSpec,
  X86MemAccessUnsupported,
  X86OperandWidth,
  X86Vendor,
} from "./access";
export { decodeX86MemAccess } from "./decode";
export { canEncodeX86MemAccess, encodeX86MemAccess } from "./encode";
