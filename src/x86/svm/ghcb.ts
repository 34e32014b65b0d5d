// The GHCB MSR protocol of SEV-ES / SEV-SNP guests (Linux arch/x86/include/asm/sev-common.h, GHCB
// specification): before it has a GHCB page, a guest puts a request in the GHCB MSR (0xC0010130,
// which the VMCB holds at 0x0A0) and executes VMGEXIT. GHCBInfo (bits 11:0) is the request code,
// GHCBData (63:12) its data; the layout of the data depends on the request.
import { type BitField, bits, field, type Halves } from "../../core/layout";
import { joinU64 } from "../../core/u64";

/** GHCBInfo request codes the protocol defines, with their names (each response is the code + 1, SEV info's is 0x001). */
const REQUESTS: ReadonlyMap<number, string> = /* @__PURE__ */ new Map([
  [0x002, "SEV information request"],
  [0x004, "CPUID request"],
  [0x006, "AP reset hold request"],
  [0x010, "preferred GHCB GPA request"],
  [0x012, "register GHCB GPA request"],
  [0x014, "SNP page state change request"],
  [0x016, "SNP run VMPL request"],
  [0x080, "hypervisor feature support request"],
  [0x100, "termination request"],
]);

/** The name of a GHCBInfo request code, `undefined` for a code the protocol does not define. */
export function ghcbRequestName(code: number): string | undefined {
  return REQUESTS.get(code);
}

/** Bits 11:0: GHCBInfo, the request code. */
export const GHCB_INFO: BitField = field(
  "GHCBInfo",
  11,
  0,
  (v) => ghcbRequestName(v) ?? "not a request code of the GHCB MSR protocol",
);
const GHCB_DATA: BitField = field("GHCBData", 63, 12);

/** The GHCB MSR's layout for its request code (the data split where the protocol gives it fields). */
function ghcbDataFields(reg: Halves): readonly BitField[] {
  switch (bits(GHCB_INFO, reg.lo)) {
    case 0x004:
      return [
        field("Reserved", 29, 12),
        field("Register", 31, 30, ["EAX", "EBX", "ECX", "EDX"]),
        field("CPUID function", 63, 32),
      ];
    case 0x012:
      return [field("GHCB GFN", 63, 12)];
    case 0x014:
      return [
        field("GFN", 51, 12),
        field("Operation", 55, 52, [
          undefined,
          "page assignment private",
          "page assignment shared",
        ]),
        field("Reserved", 63, 56),
      ];
    case 0x100:
      return [
        field("Reason code set", 15, 12),
        field("Reason code", 23, 16),
        field("Reserved", 63, 24),
      ];
    default:
      return [GHCB_DATA];
  }
}

/** The GHCB MSR value as the explainer shows it: GHCBInfo, then the request's data fields. */
export const GHCB_MSR_LAYOUT = (reg: Halves): readonly BitField[] => [
  GHCB_INFO,
  ...ghcbDataFields(reg),
];

/** A GHCB MSR protocol request, dissected. */
export interface SvmGhcbMsrRequest {
  /** The whole MSR value the guest wrote. */
  readonly value: bigint;
  /** GHCBInfo (bits 11:0): the request code. */
  readonly request: number;
  /** What the request is (`CPUID request`), `undefined` for a code the protocol does not define. */
  readonly requestName: string | undefined;
  /** GHCBData (bits 63:12), shifted down. */
  readonly data: bigint;
}

/** Dissects a GHCB MSR value given as halves; `value` is the bigint the snapshot held. */
export function ghcbMsrRequest(value: bigint, lo: number, hi: number): SvmGhcbMsrRequest {
  const request = bits(GHCB_INFO, lo);
  return {
    value,
    request,
    requestName: ghcbRequestName(request),
    data: joinU64(((lo >>> 12) | (hi << 20)) >>> 0, hi >>> 12),
  };
}
