/** Arbitraries of riscv snapshots and of the exits riscv can express (filled in by the riscv module). */
export {};
