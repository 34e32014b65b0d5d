// Builds test/kvm/harness.c with the system compiler and runs cases through it.
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Case, caseLine } from "./x86-cases";

/** Why the KVM test cannot run here, or undefined when it can. */
export function unavailable(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return `needs Linux on x86-64, this is ${process.platform}/${process.arch}`;
  }
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
  } catch (e) {
    return `/dev/kvm is not usable (${(e as Error).message})`;
  }
  const cc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (cc.error !== undefined || cc.status !== 0) return "gcc is not installed";
  return undefined;
}

/** Compiles the harness; returns the executable's path. */
export function buildHarness(): string {
  const out = join(mkdtempSync(join(tmpdir(), "vmexit-kvm-")), "harness");
  const src = join(import.meta.dirname, "harness.c");
  const r = spawnSync("gcc", ["-O2", "-Wall", "-Werror", "-o", out, src], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc failed:\n${r.stderr}`);
  return out;
}

/** What KVM reported for one access. */
export type Event =
  | { type: "M"; gpa: bigint; len: number; write: boolean; data: bigint }
  | { type: "I"; port: number; size: number; out: boolean; count: number; data: bigint }
  | { type: "H"; rip: bigint; rflags: bigint; regs: bigint[] }
  | { type: "X"; what: string };

function parseEvent(token: string): Event {
  const f = token.split(":");
  const n = (i: number) => BigInt(`0x${f[i]}`);
  switch (f[0]) {
    case "M":
      return { type: "M", gpa: n(1), len: Number(f[2]), write: f[3] === "1", data: n(4) };
    case "I":
      return {
        type: "I",
        port: Number(n(1)),
        size: Number(f[2]),
        out: f[3] === "1",
        count: Number(f[4]),
        data: n(5),
      };
    case "H":
      return { type: "H", rip: n(1), rflags: n(2), regs: f.slice(3).map((v) => BigInt(`0x${v}`)) };
    default:
      return { type: "X", what: f.slice(1).join(":") };
  }
}

/** Runs every case in one KVM guest; returns what KVM reported for each, in order. */
export function runCases(harness: string, cases: readonly Case[]): Event[][] {
  const r = spawnSync(harness, [], {
    input: `${cases.map(caseLine).join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`harness exited with ${r.status}: ${r.stderr}`);
  const lines = r.stdout.split("\n").filter((l) => l !== "");
  if (lines.length !== cases.length) {
    throw new Error(`harness answered ${lines.length} of ${cases.length} cases: ${r.stderr}`);
  }
  return lines.map((l) => l.trim().split(" ").map(parseEvent));
}
