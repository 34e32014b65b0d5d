// x86 companion events (Linux arch/x86/kvm/trace.h and include/trace/events/kvm.h), each read in
// one left-to-right pass. Slots and small fields per event are listed with each reader.
import {
  anyHexAt,
  ascii,
  hexAt,
  num,
  prefixedHexAt,
  skipBlanks,
  startsWith,
  tokenEnd,
} from "./bytes";
import { cursor, decAfter, hexAfter, isRawDump, key, rawAfter } from "./fields";
import type { LineRecord } from "./record";

const K_VCPU = key("vcpu");
const K_RIP = key("rip");
const K_ADDRESS = key("address");
const K_ERROR_CODE = key("error_code");

/** `kvm_page_fault`: slot 0 rip, 1 address (GPA), 2 error code; `vcpu`. */
export function scanPageFault(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (rawAfter(b, s, e, key("vcpu_id"))) r.vcpu = num.lo;
    if (rawAfter(b, s, e, key("guest_rip"))) r.put(0, num.hi, num.lo);
    if (!rawAfter(b, s, e, key("fault_address"))) return r.fail("address", s, e);
    r.put(1, num.hi, num.lo);
    if (rawAfter(b, s, e, key("error_code"))) r.put(2, num.hi, num.lo);
    return true;
  }
  let p = s;
  if (decAfter(b, p, e, K_VCPU) && num.hi === 0) {
    r.vcpu = num.lo;
    p = cursor.pos;
  }
  if (hexAfter(b, p, e, K_RIP)) {
    r.put(0, num.hi, num.lo);
    p = cursor.pos;
  }
  // `address 0x%016llx` (new) or `address %lx` (old, no 0x)
  if (!hexAfter(b, p, e, K_ADDRESS)) return r.fail("address", s, e);
  r.put(1, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, K_ERROR_CODE)) r.put(2, num.hi, num.lo);
  return true;
}

/** `n2` of `kvm_emulate_insn`: CPU mode 16, 32 or 64; 0 when not printed. */
const MODES: readonly (readonly [Uint8Array, number])[] = [
  [ascii("(prot64)"), 64],
  [ascii("(prot32)"), 32],
  [ascii("(prot16)"), 16],
  [ascii("(vm16)"), 16],
  [ascii("(real)"), 16],
];
const FAILED = ascii("failed");
const FAIL = ascii("FAIL");

/**
 * `kvm_emulate_insn`: `%x:%llx:%s (%s)%s` (kernel: CS base, RIP, bytes, mode, ` failed`) or
 * `%llx:%llx: %s%s` (libtraceevent: bytes or disassembly, ` FAIL`). Slot 0 rip; `n0` CS base,
 * `n1` byte count (0 when the bytes are not printed as hex), `n2` mode, `n3` 1 when failed;
 * the bytes in `r.bytes`.
 */
export function scanEmulateInsn(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  let p = hexAt(b, s, e);
  if (p < 0 || b[p] !== 0x3a) return r.fail("kvm_emulate_insn", s, e, "CS base:RIP:bytes");
  r.n0 = num.lo;
  p = hexAt(b, p + 1, e);
  if (p < 0 || b[p] !== 0x3a) return r.fail("kvm_emulate_insn", s, e, "CS base:RIP:bytes");
  r.put(0, num.hi, num.lo);
  p = skipBlanks(b, p + 1, e);
  // hex byte pairs separated by blanks, up to the mode, `failed`/`FAIL` or the end
  let n = 0;
  let q = p;
  while (q < e && n < 15) {
    const t = tokenEnd(b, q, e);
    if (t - q !== 2 || hexAt(b, q, t) !== t) break;
    r.bytes[n++] = num.lo;
    q = skipBlanks(b, t, e);
  }
  // a byte run is only taken when it ends the instruction text (not a disassembly like `add al, 0x12`)
  const rest = q;
  let mode = 0;
  for (const [word, m] of MODES) {
    if (startsWith(b, rest, e, word)) {
      mode = m;
      q = skipBlanks(b, rest + word.length, e);
      break;
    }
  }
  if (startsWith(b, q, e, FAILED) || startsWith(b, q, e, FAIL)) {
    r.n3 = 1;
    q = tokenEnd(b, q, e);
  }
  r.n1 = q >= e ? n : 0;
  r.n2 = mode;
  return true;
}

const MMIO_TYPES: readonly Uint8Array[] = [
  ascii("unsatisfied-read"),
  ascii("read"),
  ascii("write"),
];

/** `kvm_mmio`: `mmio %s len %u gpa 0x%llx val 0x%llx`. `n0` type (0 unsatisfied read, 1 read, 2 write), `n1` len; slot 1 gpa, 2 val. */
export function scanMmio(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!rawAfter(b, s, e, key("type"))) return r.fail("type", s, e);
    r.n0 = num.lo;
    if (!rawAfter(b, s, e, key("len"))) return r.fail("len", s, e);
    r.n1 = num.lo;
    if (!rawAfter(b, s, e, key("gpa"))) return r.fail("gpa", s, e);
    r.put(1, num.hi, num.lo);
    if (rawAfter(b, s, e, key("val"))) r.put(2, num.hi, num.lo);
    return r.n0 <= 2 || r.fail("type", s, e, "0, 1 or 2");
  }
  let p = skipBlanks(b, s + 4, e); // after "mmio"
  if (!startsWith(b, s, e, K_MMIO))
    return r.fail("kvm_mmio", s, e, "mmio TYPE len N gpa 0x… val 0x…");
  const t = tokenEnd(b, p, e);
  let type = -1;
  for (let i = 0; i < MMIO_TYPES.length; i++) {
    const w = MMIO_TYPES[i] as Uint8Array;
    if (t - p === w.length && startsWith(b, p, t, w)) type = i;
  }
  if (type < 0) return r.fail("type", p, t, "unsatisfied-read, read or write");
  r.n0 = type;
  p = t;
  if (!decAfter(b, p, e, K_LEN)) return r.fail("len", p, e, "a decimal number");
  r.n1 = num.lo;
  p = cursor.pos;
  if (!hexAfter(b, p, e, K_GPA)) return r.fail("gpa", p, e);
  r.put(1, num.hi, num.lo);
  p = cursor.pos;
  if (hexAfter(b, p, e, K_VAL)) r.put(2, num.hi, num.lo);
  return true;
}

const K_MMIO = key("mmio");
const K_LEN = key("len");
const K_GPA = key("gpa");
const K_VAL = key("val");

/** `kvm_fast_mmio`: `fast mmio at gpa 0x%llx`; slot 1 gpa. */
export function scanFastMmio(r: LineRecord, s: number, e: number): boolean {
  if (!hexAfter(r.buf, s, e, K_GPA)) return r.fail("gpa", s, e);
  r.put(1, num.hi, num.lo);
  return true;
}

const PIO_WRITE = ascii("pio_write");
const PIO_READ = ascii("pio_read");
const K_AT = key("at");
const K_SIZE = key("size");
const K_COUNT = key("count");

/**
 * `kvm_pio`: `pio_%s at 0x%x size %d count %d val 0x%x %s` (the oldest kernels print no `val`;
 * the last `%s` is `(...)` for count > 1). `n0` 1 for a write, `n1` port, `n2` size, `n3` count;
 * slot 2 val when printed.
 */
export function scanPio(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!rawAfter(b, s, e, key("rw"))) return r.fail("rw", s, e);
    r.n0 = num.lo === 0 ? 0 : 1;
    if (!rawAfter(b, s, e, key("port"))) return r.fail("port", s, e);
    r.n1 = num.lo;
    if (!rawAfter(b, s, e, key("size"))) return r.fail("size", s, e);
    r.n2 = num.lo;
    r.n3 = rawAfter(b, s, e, K_COUNT) ? num.lo : 1;
    if (rawAfter(b, s, e, K_VAL)) r.put(2, num.hi, num.lo);
    return true;
  }
  const t = tokenEnd(b, s, e);
  if (t - s === PIO_WRITE.length && startsWith(b, s, e, PIO_WRITE)) r.n0 = 1;
  else if (t - s === PIO_READ.length && startsWith(b, s, e, PIO_READ)) r.n0 = 0;
  else return r.fail("kvm_pio", s, t, "pio_read or pio_write");
  let p = t;
  if (!hexAfter(b, p, e, K_AT) || num.hi !== 0 || num.lo > 0xffff) return r.fail("port", p, e);
  r.n1 = num.lo;
  p = cursor.pos;
  if (!decAfter(b, p, e, K_SIZE)) return r.fail("size", p, e, "a decimal number");
  r.n2 = num.lo;
  p = cursor.pos;
  if (!decAfter(b, p, e, K_COUNT)) return r.fail("count", p, e, "a decimal number");
  r.n3 = num.lo;
  p = cursor.pos;
  if (hexAfter(b, p, e, K_VAL)) r.put(2, num.hi, num.lo);
  return true;
}

const MSR_WRITE = ascii("msr_write");
const MSR_READ = ascii("msr_read");
const GP = ascii("(#GP)");

/** `kvm_msr`: `msr_%s %x = 0x%llx%s`. `n0` 1 for a write, `n1` index, `n2` 1 when `(#GP)`; slot 2 data. */
export function scanMsr(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (isRawDump(b, s, e)) {
    if (!rawAfter(b, s, e, key("write"))) return r.fail("write", s, e);
    r.n0 = num.lo === 0 ? 0 : 1;
    if (!rawAfter(b, s, e, key("ecx"))) return r.fail("ecx", s, e);
    r.n1 = num.lo;
    if (!rawAfter(b, s, e, key("data"))) return r.fail("data", s, e);
    r.put(2, num.hi, num.lo);
    r.n2 = rawAfter(b, s, e, key("exception")) && num.lo !== 0 ? 1 : 0;
    return true;
  }
  const t = tokenEnd(b, s, e);
  if (t - s === MSR_WRITE.length && startsWith(b, s, e, MSR_WRITE)) r.n0 = 1;
  else if (t - s === MSR_READ.length && startsWith(b, s, e, MSR_READ)) r.n0 = 0;
  else return r.fail("kvm_msr", s, t, "msr_read or msr_write");
  let p = skipBlanks(b, t, e);
  const ie = hexAt(b, p, e);
  if (ie < 0 || num.hi !== 0) return r.fail("index", p, e);
  r.n1 = num.lo;
  p = skipBlanks(b, ie, e);
  if (b[p] !== 0x3d) return r.fail("data", p, e, "= 0x…");
  p = skipBlanks(b, p + 1, e);
  const de = prefixedHexAt(b, p, e);
  if (de < 0) return r.fail("data", p, e);
  r.put(2, num.hi, num.lo);
  r.n2 = startsWith(b, skipBlanks(b, de, e), e, GP) ? 1 : 0;
  return true;
}

const HC_KEYS: readonly Uint8Array[] = [key("nr"), key("a0"), key("a1"), key("a2"), key("a3")];

/** `kvm_hypercall`: `nr 0x%lx a0 0x%lx a1 0x%lx a2 0x%lx a3 0x%lx`; slots 0 nr, 1–4 a0–a3. */
export function scanHypercall(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  const raw = isRawDump(b, s, e);
  let p = s;
  for (let i = 0; i < HC_KEYS.length; i++) {
    const k = HC_KEYS[i] as Uint8Array;
    if (!(raw ? rawAfter(b, s, e, k) : hexAfter(b, p, e, k))) {
      return r.fail(i === 0 ? "nr" : `a${i - 1}`, p, e);
    }
    r.put(i, num.hi, num.lo);
    p = cursor.pos;
  }
  return true;
}

const DELIVERY_MODES: readonly Uint8Array[] = [
  ascii("Fixed"),
  ascii("LowPrio"),
  ascii("SMI"),
  ascii("Res3"),
  ascii("NMI"),
  ascii("INIT"),
  ascii("SIPI"),
  ascii("ExtINT"),
];
const SHORTHANDS: readonly Uint8Array[] = [
  ascii("dst"),
  ascii("self"),
  ascii("all"),
  ascii("all-but-self"),
];
const K_DST = key("dst");
const K_VEC = key("vec");

function wordIndex(b: Uint8Array, s: number, e: number, words: readonly Uint8Array[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as Uint8Array;
    if (e - s === w.length && startsWith(b, s, e, w)) return i;
  }
  return -1;
}

/**
 * `kvm_apic_ipi`: `dst %x vec %u (%s|%s|%s|%s|%s)`. `n0` destination, `n1` ICR low rebuilt from
 * the printed vector, delivery mode, destination mode, level, trigger and shorthand.
 */
export function scanApicIpi(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (!hexAfter(b, s, e, K_DST) || num.hi !== 0) return r.fail("dst", s, e);
  r.n0 = num.lo;
  let p = cursor.pos;
  if (!decAfter(b, p, e, K_VEC) || num.lo > 255) return r.fail("vec", p, e, "a decimal vector");
  let icr = num.lo;
  p = skipBlanks(b, cursor.pos, e);
  if (b[p] !== 0x28) return r.fail("kvm_apic_ipi", p, e, "(mode|…)");
  // five `|`-separated words, then `)`
  const parts: number[] = [0, 0, 0, 0, 0];
  let q = p + 1;
  for (let i = 0; i < 5; i++) {
    let t = q;
    while (t < e && b[t] !== 0x7c && b[t] !== 0x29) t++;
    parts[i] = t;
    if (i < 4 && b[t] !== 0x7c)
      return r.fail("kvm_apic_ipi", p, e, "(mode|dest|level|trigger|shorthand)");
    q = t + 1;
  }
  const starts = [
    p + 1,
    (parts[0] as number) + 1,
    (parts[1] as number) + 1,
    (parts[2] as number) + 1,
    (parts[3] as number) + 1,
  ];
  const mode = wordIndex(b, starts[0] as number, parts[0] as number, DELIVERY_MODES);
  const short = wordIndex(b, starts[4] as number, parts[4] as number, SHORTHANDS);
  if (mode < 0 || short < 0)
    return r.fail("kvm_apic_ipi", p, e, "(mode|dest|level|trigger|shorthand)");
  icr |= mode << 8;
  if (startsWith(b, starts[1] as number, e, LOGICAL)) icr |= 1 << 11;
  if (startsWith(b, starts[2] as number, e, ASSERT)) icr |= 1 << 14;
  if (startsWith(b, starts[3] as number, e, LEVEL)) icr |= 1 << 15;
  icr |= short << 18;
  r.n1 = icr >>> 0;
  return true;
}

const LOGICAL = ascii("logical");
const ASSERT = ascii("assert");
const LEVEL = ascii("level");

/** Local APIC register offsets by the name `kvm_apic` prints (`APIC_ICR` → 0x300). */
const APIC_REGS: readonly (readonly [Uint8Array, number])[] = (
  [
    ["ID", 0x20],
    ["LVR", 0x30],
    ["TASKPRI", 0x80],
    ["ARBPRI", 0x90],
    ["PROCPRI", 0xa0],
    ["EOI", 0xb0],
    ["RRR", 0xc0],
    ["LDR", 0xd0],
    ["DFR", 0xe0],
    ["SPIV", 0xf0],
    ["ISR", 0x100],
    ["TMR", 0x180],
    ["IRR", 0x200],
    ["ESR", 0x280],
    ["ICR", 0x300],
    ["ICR2", 0x310],
    ["LVTT", 0x320],
    ["LVTTHMR", 0x330],
    ["LVTPC", 0x340],
    ["LVT0", 0x350],
    ["LVT1", 0x360],
    ["LVTERR", 0x370],
    ["TMICT", 0x380],
    ["TMCCT", 0x390],
    ["TDCR", 0x3e0],
    ["SELF_IPI", 0x3f0],
    ["EFEAT", 0x400],
    ["ECTRL", 0x410],
  ] as const
).map(([name, offset]) => [ascii(`APIC_${name}`), offset] as const);

const APIC_WRITE = ascii("apic_write");
const APIC_READ = ascii("apic_read");

/** `kvm_apic`: `apic_%s %s = 0x%llx`. `n0` 1 for a write, `n1` register offset; slot 2 value. */
export function scanApic(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  const t = tokenEnd(b, s, e);
  if (t - s === APIC_WRITE.length && startsWith(b, s, e, APIC_WRITE)) r.n0 = 1;
  else if (t - s === APIC_READ.length && startsWith(b, s, e, APIC_READ)) r.n0 = 0;
  else return r.fail("kvm_apic", s, t, "apic_read or apic_write");
  const ns = skipBlanks(b, t, e);
  const ne = tokenEnd(b, ns, e);
  let offset = -1;
  for (const [name, off] of APIC_REGS)
    if (ne - ns === name.length && startsWith(b, ns, ne, name)) offset = off;
  if (offset < 0) {
    // an unnamed register prints as a number
    if (anyHexAt(b, ns, ne) !== ne || num.hi !== 0)
      return r.fail("reg", ns, ne, "an APIC register name");
    offset = num.lo;
  }
  r.n1 = offset;
  let p = skipBlanks(b, ne, e);
  if (b[p] !== 0x3d) return r.fail("val", p, e, "= 0x…");
  p = skipBlanks(b, p + 1, e);
  if (prefixedHexAt(b, p, e) < 0) return r.fail("val", p, e);
  r.put(2, num.hi, num.lo);
  return true;
}

const K_ICR = key("icrh:icrl");
const K_ID = key("id");
const K_INDEX = key("index");

/** `kvm_avic_incomplete_ipi`: `vcpu=%u, icrh:icrl=%#010x:%08x, id=%u, index=%u`. `n0` icrh, `n1` icrl, `n2` id, `n3` index. */
export function scanAvicIpi(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (decAfter(b, s, e, K_VCPU)) r.vcpu = num.lo;
  if (!hexAfter(b, s, e, K_ICR) || num.hi !== 0) return r.fail("icrh", s, e);
  r.n0 = num.lo;
  let p = cursor.pos;
  if (b[p] !== 0x3a) return r.fail("icrl", p, e);
  const le = hexAt(b, p + 1, e);
  if (le < 0 || num.hi !== 0) return r.fail("icrl", p, e);
  r.n1 = num.lo;
  p = le;
  if (decAfter(b, p, e, K_ID)) {
    r.n2 = num.lo;
    p = cursor.pos;
  }
  if (decAfter(b, p, e, K_INDEX)) r.n3 = num.lo;
  return true;
}

const K_OFFSET = key("offset");
const TRAP = ascii("trap");
const WRITE = ascii("write");

/** `kvm_avic_unaccelerated_access`: `vcpu=%u, offset=%#x(%s), %s, %s, vec=%#x`. `n0` offset, `n1` 1 for trap, `n2` 1 for write, `n3` vector. */
export function scanAvicAccess(r: LineRecord, s: number, e: number): boolean {
  const b = r.buf;
  if (decAfter(b, s, e, K_VCPU)) r.vcpu = num.lo;
  if (!hexAfter(b, s, e, K_OFFSET) || num.hi !== 0) return r.fail("offset", s, e);
  r.n0 = num.lo;
  let p = cursor.pos;
  if (b[p] === 0x28) while (p < e && b[p] !== 0x29) p++;
  // `, trap|fault, write|read`
  const words: number[] = [];
  while (p < e && words.length < 2) {
    while (p < e && (b[p] === 0x2c || b[p] === 0x20 || b[p] === 0x29)) p++;
    words.push(p);
    p = tokenEnd(b, p, e);
  }
  r.n1 = startsWith(b, words[0] ?? e, e, TRAP) ? 1 : 0;
  r.n2 = startsWith(b, words[1] ?? e, e, WRITE) ? 1 : 0;
  if (hexAfter(b, p, e, K_VEC)) r.n3 = num.lo;
  return true;
}
