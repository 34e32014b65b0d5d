/** A seeded 64-bit generator (SplitMix64), so that every run generates the same cases. */
export class Rng {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  /** A uniform u64. */
  u64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e37_79b9_7f4a_7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58_476d_1ce4_e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d0_49bb_1331_11ebn);
    return z ^ (z >> 31n);
  }

  /** A uniform integer in 0…n−1 (n ≤ 2^32). */
  int(n: number): number {
    return Number(this.u64() % BigInt(n));
  }

  /** A uniform bigint with `bits` bits. */
  bits(bits: number): bigint {
    return BigInt.asUintN(bits, this.u64());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.int(1_000_000) < p * 1_000_000;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A register value: uniform, or with a pattern in the top bits of a byte/word/dword. */
  reg(): bigint {
    switch (this.int(4)) {
      case 0:
        return this.u64();
      case 1:
        return this.u64() | 0x8000_0000_8000_8080n;
      case 2:
        return this.bits(32);
      default:
        return this.u64() & ~0x8080_8080_8080_8080n;
    }
  }
}
