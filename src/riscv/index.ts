/** Placeholder until the riscv module lands. */
export {};
