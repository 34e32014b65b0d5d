// arm64 companion events (arch/arm64/kvm/trace_arm.h, trace_handle_exit.h; 32-bit ARM's
// arch/arm/kvm/trace.h) and the RISC-V events of other trees that share their names.
import { ascii, hexAt, num, skipBlanks, smallDecAt, startsWith, tokenEnd } from "./bytes";
import { cursor, decAfter, hexAfter, isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";

const K_IPA = key("ipa");
const K_HSR = key("hsr");
const K_ESR = key("esr");
const K_HXFAR = key("hxfar");
const K_PC = key("pc");
const K_VCPU = key("VCPU");
const K_GPA = key("GPA");

/** Slot of a companion's PC. */
export const C_PC = 0;
/** `kvm_guest_fault`: slot of the IPA (RISC-V: the GPA). */
export const C_IPA = 1;
/** `kvm_guest_fault` / `kvm_handle_sys_reg`: slot of ESR_EL2. */
export const C_ESR = 2;
/** `kvm_guest_fault`: slot of FAR_EL2. */
export const C_FAR = 3;

/**
 * `kvm_guest_fault`: arm64 `ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx` (32-bit ARM the
 * same with `pc %#08lx`; `hsr` is ESR_EL2, `hxfar` FAR_EL2), or RISC-V's `VCPU: %lu, GPA: 0x%lx,
 * SEPC: …` (then only `vcpu` and the GPA are read). `%#llx` prints 0 without `0x`.
 */
export function scanGuestFault(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!rawAfter(b, s, e, K_IPA)) return r.fail("ipa", s, e);
    r.put(C_IPA, num.hi, num.lo);
    if (rawAfter(b, s, e, K_HSR) || rawAfter(b, s, e, K_ESR)) r.put(C_ESR, num.hi, num.lo);
    if (rawAfter(b, s, e, K_HXFAR)) r.put(C_FAR, num.hi, num.lo);
    if (rawAfter(b, s, e, key("vcpu_pc"))) r.put(C_PC, num.hi, num.lo);
    return true;
  }
  if (startsWith(b, s, e, K_VCPU)) {
    if (decAfter(b, s, e, K_VCPU)) r.vcpu = num.lo;
    if (!hexAfter(b, cursor.pos, e, K_GPA)) return r.fail("GPA", s, e);
    r.put(C_IPA, num.hi, num.lo);
    r.n0 = 1; // the RISC-V variant
    return true;
  }
  if (!hexAfter(b, s, e, K_IPA)) return r.fail("ipa", s, e);
  r.put(C_IPA, num.hi, num.lo);
  let p = cursor.pos;
  if (!(hexAfter(b, p, e, K_HSR) || hexAfter(b, p, e, K_ESR))) return r.fail("hsr", p, e);
  r.put(C_ESR, num.hi, num.lo);
  p = cursor.pos;
  if (!hexAfter(b, p, e, K_HXFAR)) return r.fail("hxfar", p, e);
  r.put(C_FAR, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, K_PC)) r.put(C_PC, num.hi, num.lo);
  return true;
}

const HSR_WORD = ascii("HSR");
const ESR_WORD = ascii("ESR");

/** `kvm_handle_sys_reg`: `HSR 0x%08lx` (ESR_EL2 of the SYS64 trap); slot `C_ESR`. */
export function scanHandleSysReg(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!(rawAfter(b, s, e, K_HSR) || rawAfter(b, s, e, K_ESR))) return r.fail("hsr", s, e);
    r.put(C_ESR, num.hi, num.lo);
    return true;
  }
  if (!(hexAfter(b, s, e, HSR_WORD) || hexAfter(b, s, e, ESR_WORD))) return r.fail("HSR", s, e);
  r.put(C_ESR, num.hi, num.lo);
  return true;
}

const RAW_OPS: readonly Uint8Array[] = ["Op0", "Op1", "CRn", "CRm", "Op2"].map(key);
const WRITE = ascii("write");
const PC_COLON = ascii("PC:");

/**
 * `kvm_sys_access`: `PC: %lx %s (%d,%d,%d,%d,%d) %s` (PC without `0x`, register name or `UNKN`,
 * Op0, Op1, CRn, CRm, Op2, `read`/`write`), or libtraceevent's `[FAILED TO PARSE]` dump
 * (`vcpu_pc=… is_write=… name=… Op0=… Op1=… CRn=… CRm=… Op2=…`). `n0`…`n4` Op0, Op1, CRn, CRm,
 * Op2; `n5` 1 for a write; slot `C_PC`; the name in `textStart`… when printed.
 */
export function scanSysAccess(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    const ops = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5; i++) {
      if (!rawAfter(b, s, e, RAW_OPS[i] as Uint8Array))
        return r.fail("Op0", s, e, "Op0…Op2 fields");
      ops[i] = num.lo;
    }
    [r.n0, r.n1, r.n2, r.n3, r.n4] = ops as [number, number, number, number, number];
    if (!rawAfter(b, s, e, key("is_write"))) return r.fail("is_write", s, e, "an is_write field");
    r.n5 = num.lo === 0 ? 0 : 1;
    if (rawAfter(b, s, e, key("vcpu_pc"))) r.put(C_PC, num.hi, num.lo);
    return true;
  }
  let p = s;
  if (startsWith(b, p, e, PC_COLON)) {
    p = skipBlanks(b, p + 3, e);
    const h = hexAt(b, p, e);
    if (h < 0) return r.fail("PC", p, e);
    r.put(C_PC, num.hi, num.lo);
    p = skipBlanks(b, h, e);
  }
  // the register name up to ` (`
  const ns = p;
  while (p < e && b[p] !== 0x28) p++;
  let ne = p;
  while (ne > ns && b[ne - 1] === 0x20) ne--;
  r.textStart = ns;
  r.textEnd = ne;
  if (b[p] !== 0x28) return r.fail("kvm_sys_access", s, e, "(Op0,Op1,CRn,CRm,Op2)");
  p++;
  const ops = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5; i++) {
    const v = smallDecAt(b, p, e);
    if (v < 0) return r.fail("kvm_sys_access", s, e, "(Op0,Op1,CRn,CRm,Op2)");
    ops[i] = v;
    p = num.end;
    if (b[p] !== (i === 4 ? 0x29 : 0x2c))
      return r.fail("kvm_sys_access", s, e, "(Op0,Op1,CRn,CRm,Op2)");
    p++;
  }
  [r.n0, r.n1, r.n2, r.n3, r.n4] = ops as [number, number, number, number, number];
  p = skipBlanks(b, p, e);
  const t = tokenEnd(b, p, e);
  r.n5 = t - p === WRITE.length && startsWith(b, p, e, WRITE) ? 1 : 0;
  return true;
}

const K_R0 = key("r0");
const K_IMM = key("imm");
const HVC_AT = ascii("HVC at");

/** `kvm_hvc_arm64`: `HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)`; slots 0 PC, 1 x0, 2 imm. */
export function scanHvc(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  const raw = isRawDump(b, s, e);
  if (raw) {
    if (rawAfter(b, s, e, key("vcpu_pc"))) r.put(C_PC, num.hi, num.lo);
    if (!rawAfter(b, s, e, K_R0)) return r.fail("r0", s, e);
    r.put(1, num.hi, num.lo);
    if (rawAfter(b, s, e, K_IMM)) r.put(2, num.hi, num.lo);
    return true;
  }
  let p = s;
  if (startsWith(b, p, e, HVC_AT)) {
    p = skipBlanks(b, p + HVC_AT.length, e);
    const h = hexAt(b, p + 2, e);
    if (h >= 0) {
      r.put(C_PC, num.hi, num.lo);
      p = h;
    }
  }
  if (!hexAfter(b, p, e, K_R0)) return r.fail("r0", p, e);
  r.put(1, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, K_IMM)) r.put(2, num.hi, num.lo);
  return true;
}

const WF = ascii("guest executed wf");
const K_AT = key("at");

/** `kvm_wfx_arm64`: `guest executed wf%c at: 0x%016lx`; `n0` 1 for WFE, slot 0 PC. */
export function scanWfx(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!rawAfter(b, s, e, key("is_wfe"))) return r.fail("is_wfe", s, e);
    r.n0 = num.lo === 0 ? 0 : 1;
    if (rawAfter(b, s, e, key("vcpu_pc"))) r.put(C_PC, num.hi, num.lo);
    return true;
  }
  if (!startsWith(b, s, e, WF))
    return r.fail("kvm_wfx_arm64", s, e, '"guest executed wfe|wfi at: 0x…"');
  const c = b[s + WF.length];
  if (c !== 0x65 && c !== 0x69)
    return r.fail("kvm_wfx_arm64", s, e, '"guest executed wfe|wfi at: 0x…"');
  r.n0 = c === 0x65 ? 1 : 0;
  if (hexAfter(b, s + WF.length + 1, e, K_AT)) r.put(C_PC, num.hi, num.lo);
  return true;
}

const K_INSTR = key("instr");
const K_INSN = key("insn");
const K_LEN = key("len");
const EMULATE = ascii("Emulate MMIO at:");

/**
 * `kvm_mmio_emulate`: arm `Emulate MMIO at: 0x%016lx (instr: %08lx, cpsr: %08lx)`, or RISC-V's
 * `VCPU: %lu, %s MMIO at 0x%lx, len %d, insn 0x%lx, sepc 0x%lx`. Slot 0 PC, 1 the instruction
 * word; RISC-V also slot `C_IPA` the address, `n1` the length.
 */
export function scanMmioEmulate(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (startsWith(b, s, e, EMULATE)) {
    const p = skipBlanks(b, s + EMULATE.length, e);
    const h = hexAt(b, p + 2, e);
    if (h >= 0) r.put(C_PC, num.hi, num.lo);
    if (!hexAfter(b, s, e, K_INSTR)) return r.fail("instr", s, e);
    r.put(1, num.hi, num.lo);
    return true;
  }
  if (!startsWith(b, s, e, K_VCPU)) return r.fail("kvm_mmio_emulate", s, e, '"Emulate MMIO at: …"');
  if (decAfter(b, s, e, K_VCPU)) r.vcpu = num.lo;
  let p = cursor.pos;
  if (hexAfter(b, p, e, K_AT)) {
    r.put(C_IPA, num.hi, num.lo);
    p = cursor.pos;
  }
  if (decAfter(b, p, e, K_LEN)) {
    r.n1 = num.lo;
    p = cursor.pos;
  }
  if (!hexAfter(b, p, e, K_INSN)) return r.fail("insn", p, e);
  r.put(1, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, key("sepc"))) r.put(C_PC, num.hi, num.lo);
  return true;
}

const K_EXT = key("ext");
const K_FID = key("fid");
const K_A0 = key("a0");

/** RISC-V `kvm_sbi_ecall`: `VCPU: %lu, SBI ecall at 0x%lx, ext 0x%lx, fid 0x%lx, a0 0x%lx`; slots 0 PC, 1 a7 (EID), 2 a6 (FID), 3 a0. */
export function scanSbiEcall(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (decAfter(b, s, e, K_VCPU)) r.vcpu = num.lo;
  let p = s;
  if (hexAfter(b, p, e, K_AT)) {
    r.put(C_PC, num.hi, num.lo);
    p = cursor.pos;
  }
  if (!hexAfter(b, p, e, K_EXT)) return r.fail("ext", p, e);
  r.put(1, num.hi, num.lo);
  p = cursor.pos;
  if (!hexAfter(b, p, e, K_FID)) return r.fail("fid", p, e);
  r.put(2, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, K_A0)) r.put(3, num.hi, num.lo);
  return true;
}
