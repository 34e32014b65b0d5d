/** Arbitraries of aarch64 snapshots and of the exits aarch64 can express (filled in by the aarch64 module). */
export {};
