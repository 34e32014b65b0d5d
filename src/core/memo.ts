// Values shared frozen across decodes. A table by index holds the values of a small field (a
// vector, an exit code's index, qualification bits), each built on first use. A direct-mapped
// memo holds causes that depend on one 32-bit value alone (a port access's qualification, an MSR
// index): the first cause stored in a slot stays there, frozen, and every later decode of the
// same value shares it. A value whose slot another holds gets its own cause, as without the memo:
// the memo never grows, never evicts, and costs one multiply and two loads.

/** log2 of the slots of a memo. */
const SLOT_BITS = 10;

/** The slot of `key` (Knuth's multiplicative hashing: the top bits of key × 2654435761, a prime near 2^32/φ). */
function slotOf(key: number): number {
  return Math.imul(key, 0x9e37_79b1) >>> (32 - SLOT_BITS);
}

/** An empty table of values by index, each built on first use and shared frozen (see `keepFrozen`). */
/* @__NO_SIDE_EFFECTS__ */
export function sharedTable<V extends object>(length: number): (V | undefined)[] {
  return new Array<V | undefined>(length).fill(undefined);
}

/**
 * `value`, frozen and kept at `table[index]`: the first use of a shared value, read as
 * `table[i] ?? keepFrozen(table, i, built())`.
 */
export function keepFrozen<V extends object>(table: (V | undefined)[], index: number, value: V): V {
  const frozen = Object.freeze(value);
  table[index] = frozen;
  return frozen;
}

/** A direct-mapped memo of frozen values by a u32 key. */
export class U32Memo<V extends object> {
  readonly #keys = new Uint32Array(1 << SLOT_BITS);
  readonly #values: (V | undefined)[] = new Array<V | undefined>(1 << SLOT_BITS).fill(undefined);

  /** The value kept for `key`, or `undefined`. */
  get(key: number): V | undefined {
    const slot = slotOf(key);
    return this.#keys[slot] === key ? this.#values[slot] : undefined;
  }

  /** `value`, kept (frozen) for `key` when its slot is free; returned as it is when not. */
  keep(key: number, value: V): V {
    const slot = slotOf(key);
    if (this.#values[slot] !== undefined) return value;
    this.#keys[slot] = key;
    this.#values[slot] = Object.freeze(value);
    return value;
  }
}
