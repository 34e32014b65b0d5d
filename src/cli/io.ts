import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { CliError } from "./error";

/** A text sink; `write` returns a promise when the caller should wait (back-pressure). */
export interface CliWriter {
  /** Writes text. */
  write(text: string): undefined | Promise<void>;
  /** True when the sink is a terminal. */
  readonly isTTY?: boolean;
}

/** Chunks of input text or bytes. */
export type CliInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliIo {
  /** Standard output. */
  readonly stdout: CliWriter;
  /** Standard error. */
  readonly stderr: CliWriter;
  /** Standard input as chunks. */
  readonly stdin: CliInput;
  /** True when standard input is a terminal (no piped trace). */
  readonly stdinIsTTY?: boolean;
  /** Opens a file for streaming; rejects with a `CliError` naming the file. */
  openFile(path: string): Promise<CliInput>;
  /** Reads a small text file (an `@args` file). */
  readTextFile(path: string): Promise<string>;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
};

/** The one-line reason a file could not be read. */
export function fileError(path: string, e: unknown): CliError {
  const code = (e as { code?: unknown } | null)?.code;
  const reason = typeof code === "string" ? (REASONS[code] ?? code) : String(e);
  return new CliError(`cannot read "${path}": ${reason}`);
}

function nodeWriter(stream: NodeJS.WriteStream): CliWriter {
  return {
    write(text: string): undefined | Promise<void> {
      if (stream.write(text)) return undefined;
      return new Promise((resolve) => stream.once("drain", () => resolve()));
    },
    isTTY: stream.isTTY === true,
  };
}

/** The real process: `process.stdout`, `process.stderr`, `process.stdin` and the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: nodeWriter(process.stdout),
    stderr: nodeWriter(process.stderr),
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    async openFile(path) {
      try {
        const info = await stat(path);
        if (info.isDirectory()) throw Object.assign(new Error(path), { code: "EISDIR" });
      } catch (e) {
        throw fileError(path, e);
      }
      return createReadStream(path);
    },
    async readTextFile(path) {
      try {
        return await readFile(path, "utf8");
      } catch (e) {
        throw fileError(path, e);
      }
    },
  };
}
