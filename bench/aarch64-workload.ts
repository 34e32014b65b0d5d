// The AArch64 bench workload: a fixed seeded mix of the exits a KVM/arm64 guest causes most, with
// every 64-bit register (ESR_EL2, HPFAR_EL2, FAR_EL2, x0…x30) a bigint, as a VMM reading them
// from KVM_GET_ONE_REG or a trace has them.
import type { Aarch64Snapshot } from "../src/aarch64/snapshot";
import { seededRandom } from "./harness";

/** How many snapshots one bench operation decodes. */
export const N = 1024;

const rnd = seededRandom(0xa64);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const u64 = (): bigint =>
  (BigInt(Math.floor(rnd() * 2 ** 32)) << 32n) | BigInt(Math.floor(rnd() * 2 ** 32));
const regs = (): bigint[] => Array.from({ length: 31 }, u64);

// Typical trapped system registers: CNTVCT_EL0, CNTP_CTL_EL0, SCTLR_EL1, MDSCR_EL1, PMCR_EL0,
// ICC_PMR_EL1 … as ISS = op0<<20 | op2<<17 | op1<<14 | CRn<<10 | CRm<<1 (none an SGI register).
const SYS_ADDRS = [0x34_f800, 0x36_f804, 0x30_0400, 0x24_0004, 0x32_e418, 0x32_3018];

/** One snapshot of the mix: data abort 50 %, SYS64 20 %, HVC 10 %, WFx 10 %, IRQ 10 %. */
function snapshot(): Aarch64Snapshot {
  const r = rnd();
  if (r < 0.5) {
    // DABT_LOW (EC 0x24 << 26, IL), ISV, DFSC 0x07 translation fault level 3; random SAS, SRT,
    // WnR; SF set for doubleword accesses (SAS 3 with SF 0 is no A64 access) and half the others.
    const sas = Math.floor(rnd() * 4);
    const sf = sas === 3 || rnd() < 0.5 ? 1 : 0;
    const wnr = rnd() < 0.5 ? 1 : 0;
    const srt = Math.floor(rnd() * 31);
    const esr = (0x9300_0007 | (sas << 22) | (srt << 16) | (sf << 15) | (wnr << 6)) >>> 0;
    const ipa = 0x900_0000 + Math.floor(rnd() * 0x10_0000) * 4;
    // HPFAR_EL2.FIPA [47:4] = IPA[55:12]; FAR_EL2 carries the page offset in bits 11:0.
    return {
      esr: BigInt(esr),
      hpfar: BigInt(ipa >>> 12) << 4n,
      far: 0xffff_8000_0000_0000n | BigInt(ipa & 0xfff),
      x: regs(),
    };
  }
  if (r < 0.7) {
    // SYS64 (EC 0x18 << 26, IL): Rt in [9:5], Direction in [0].
    const read = rnd() < 0.5 ? 1 : 0;
    const rt = Math.floor(rnd() * 31);
    return { esr: BigInt((0x6200_0000 | pick(SYS_ADDRS) | (rt << 5) | read) >>> 0), x: regs() };
  }
  if (r < 0.8) {
    // HVC64 #0 (EC 0x16 << 26, IL): PSCI CPU_ON (SMC64 convention) 30 %, else a vendor hypercall.
    const x = regs();
    x[0] = rnd() < 0.3 ? 0xc400_0003n : BigInt(Math.floor(rnd() * 0x1000));
    return { esr: 0x5a00_0000n, x };
  }
  // WFx (EC 0x01 << 26, IL): TI 0…3 = WFI, WFE, WFIT, WFET, RV = 0.
  if (r < 0.9) return { esr: BigInt(0x0600_0000 | Math.floor(rnd() * 4)) };
  return { esr: 0n, exception: "irq", irq: Math.floor(rnd() * 1020) };
}

/** The workload: N snapshots of the mix, the same on every run. */
export const workload: readonly Aarch64Snapshot[] = Array.from({ length: N }, snapshot);
