/** Arbitraries of x86 snapshots and of the exits x86 can express (filled in by the x86 module). */
export {};
