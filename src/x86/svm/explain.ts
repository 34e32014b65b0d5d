// explainSvm: the field trees of the VMCB fields an SVM exit has, from the same layouts the
// decoder reads. It first runs the decoder (without the cause) so that it rejects what decodeSvm
// rejects with the same error; a missing register stops a decode but not the explanation of the
// fields that are there.
import { VmExitError } from "../../core/error";
import { type ExplainNode, explainNode } from "../../core/explain";
import { bits, explainRegister, type Halves, isSet } from "../../core/layout";
import { splitU64, type U64Halves } from "../../core/u64";
import { X86_ICR_LAYOUT, X86_X2APIC_ICR_MSR } from "../icr";
import { reg32 } from "../regs";
import { SVM_EXIT_CODES, SvmExitCode } from "./codes";
import { decodeSvmExit, svmCauseClassOf } from "./decode";
import { SVM_EXITINTINFO_LAYOUT, svmEventMeaning } from "./event";
import { IO_PORT, IO_SIZE, IO_TYPE, NPF_FETCH, NPF_WRITE, svmExitInfoLayouts } from "./exitinfo";
import { GHCB_MSR_LAYOUT, ghcbRequestName } from "./ghcb";
import { checkSvmSnapshot } from "./read";
import type { SvmDecodeOptions, SvmSnapshot } from "./snapshot";

const halves = (lo: number, hi = 0): Halves => ({ lo, hi });

/** The one-line reading of EXITINFO1 for the codes where one helps. */
function info1Meaning(code: number, h: Halves): string | undefined {
  if (code === SvmExitCode.NPF) {
    return isSet(NPF_FETCH, h.lo) ? "instruction fetch" : isSet(NPF_WRITE, h.lo) ? "write" : "read";
  }
  if (code === SvmExitCode.IOIO) {
    const size = bits(IO_SIZE, h.lo);
    return `${isSet(IO_TYPE, h.lo) ? "IN" : "OUT"} port 0x${bits(IO_PORT, h.lo).toString(16)}, ${size} byte${size === 1 ? "" : "s"}`;
  }
  return undefined;
}

/**
 * Explains an SVM snapshot as field trees: EXITCODE, then EXITINFO1 and EXITINFO2 with the layout
 * of the code (IOIO, MSR, NPF error code, CR/DR, exception, task switch, AVIC, …), EXITINTINFO and
 * its error code, the GHCB MSR of a VMGEXIT, and the x2APIC ICR of a WRMSR 0x830.
 * @example formatExplain(explainSvm({ exitCode: 0x7b, exitInfo1: 0x3f80010 }))
 */
export function explainSvm(snapshot: SvmSnapshot, options?: SvmDecodeOptions): ExplainNode[] {
  try {
    decodeSvmExit(snapshot, options);
  } catch (e) {
    if (!(e instanceof VmExitError && e.code === "missing-register" && e.field !== "exitCode")) {
      throw e;
    }
  }
  // the decoder checked every field read below
  const info = SVM_EXIT_CODES[checkSvmSnapshot(snapshot)] as (typeof SVM_EXIT_CODES)[number];
  const code = info.code;
  const layouts = svmExitInfoLayouts(code, options?.x2apic === true);
  const cls = svmCauseClassOf(code);
  const nodes: ExplainNode[] = [
    explainNode(
      "EXITCODE",
      63,
      0,
      info.exitCode,
      info.linux === undefined || info.linux === info.apm
        ? info.apm
        : `${info.linux} (${info.apm})`,
    ),
  ];
  const h: U64Halves = { lo: 0, hi: 0 };
  if (snapshot.exitInfo1 !== undefined) {
    splitU64(snapshot.exitInfo1, "exitInfo1", h);
    nodes.push(explainRegister("EXITINFO1", 64, h, layouts.info1 ?? [], info1Meaning(code, h)));
  }
  if (snapshot.exitInfo2 !== undefined) {
    const h2: U64Halves = { lo: 0, hi: 0 };
    splitU64(snapshot.exitInfo2, "exitInfo2", h2);
    nodes.push(explainRegister("EXITINFO2", 64, h2, layouts.info2 ?? []));
  }
  const intInfo = snapshot.exitIntInfo;
  if (intInfo !== undefined) {
    nodes.push(
      explainRegister(
        "EXITINTINFO",
        32,
        halves(intInfo),
        SVM_EXITINTINFO_LAYOUT,
        svmEventMeaning(intInfo),
      ),
    );
  }
  if (snapshot.exitIntInfoErrorCode !== undefined) {
    nodes.push(explainNode("EXITINTINFO error code", 31, 0, snapshot.exitIntInfoErrorCode));
  }
  if (code === SvmExitCode.INTR && snapshot.interruptVector !== undefined) {
    nodes.push(
      explainNode("Interrupt vector (acknowledged by the host)", 7, 0, snapshot.interruptVector),
    );
  }
  if (cls === "vmgexit" && snapshot.ghcbGpa !== undefined) {
    const g: U64Halves = { lo: 0, hi: 0 };
    splitU64(snapshot.ghcbGpa, "ghcbGpa", g);
    const msr = (g.lo & 0xfff) !== 0;
    nodes.push(
      explainRegister(
        "GHCB GPA",
        64,
        g,
        msr ? GHCB_MSR_LAYOUT : [],
        msr
          ? `GHCB MSR protocol: ${ghcbRequestName(g.lo & 0xfff) ?? "not a request code"}`
          : "address of the GHCB page",
      ),
    );
  }
  const regs = snapshot.regs;
  if (
    code === SvmExitCode.MSR &&
    h.lo === 1 &&
    h.hi === 0 &&
    regs?.rcx !== undefined &&
    regs.rax !== undefined &&
    regs.rdx !== undefined &&
    reg32(regs, "rcx", "MSR") === X86_X2APIC_ICR_MSR
  ) {
    const eax = reg32(regs, "rax", "MSR");
    const edx = reg32(regs, "rdx", "MSR");
    nodes.push(explainRegister("x2APIC ICR (EDX:EAX)", 64, halves(eax, edx), X86_ICR_LAYOUT));
  }
  return nodes;
}
