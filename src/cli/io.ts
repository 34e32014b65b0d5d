import { closeSync, openSync, readSync } from "node:fs";
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
  /** Opens a file for streaming (a chunk is valid until the next is read); rejects with a `CliError` naming the file. */
  openFile(path: string): Promise<CliInput>;
  /** Reads a small text file (an `@args` file). */
  readTextFile(path: string): Promise<string>;
  /** True when large files may be read by worker threads (the real process). */
  readonly parallel?: boolean;
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

/** Why writing failed, in one line: `cannot write the output: no space left on device (ENOSPC)`. */
export function writeFailure(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const reason = typeof code === "string" ? (WRITE_REASONS[code] ?? code) : String(e);
  return `cannot write the output: ${reason}${typeof code === "string" && code in WRITE_REASONS ? ` (${code})` : ""}`;
}

const guarded = new WeakSet<NodeJS.WriteStream>();

const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EIO: "input/output error",
  EBADF: "bad file descriptor",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
};

/**
 * Ends the process when a standard stream fails: quietly (code 0) on EPIPE, when the reader of a
 * pipe went away (`vmexit trace | head`); else with one line on stderr and code 1 (`> /dev/full`).
 * Runs before any other error listener, so no stack trace is printed.
 */
export function exitOnWriteError(stream: NodeJS.WriteStream, report: (line: string) => void): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.prependListener("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    report(`vmexit: ${writeFailure(e)}\n`);
    process.exit(1);
  });
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

/** Bytes read at a time from a file: the trace reader scans bytes, fewer chunks cost less. */
const FILE_CHUNK = 1 << 20;

/**
 * The chunks of an open file, read synchronously (no stream machinery between the disk and the
 * reader; a file is read by one command at a time). Every chunk is read into the same buffer, so a
 * chunk is valid until the next one is asked for (the trace readers copy only a line cut by a
 * chunk's end; fresh memory for each chunk cost a page fault per 4 KiB). Closes the file at the
 * end or when the caller stops early.
 */
function* fileChunks(fd: number): Generator<Uint8Array> {
  try {
    const buf = Buffer.allocUnsafeSlow(FILE_CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, FILE_CHUNK, null);
      if (n <= 0) return;
      yield n === FILE_CHUNK ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The real process: `process.stdout`, `process.stderr`, `process.stdin` and the file system. */
export function nodeIo(): CliIo {
  exitOnWriteError(process.stdout, (line) => {
    try {
      process.stderr.write(line);
    } catch {
      // stderr is gone too: the exit code says it
    }
  });
  exitOnWriteError(process.stderr, () => undefined);
  return {
    stdout: nodeWriter(process.stdout),
    stderr: nodeWriter(process.stderr),
    stdin: process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    parallel: true,
    async openFile(path) {
      try {
        const info = await stat(path);
        if (info.isDirectory()) throw Object.assign(new Error(path), { code: "EISDIR" });
      } catch (e) {
        throw fileError(path, e);
      }
      let fd: number;
      try {
        fd = openSync(path, "r");
      } catch (e) {
        throw fileError(path, e);
      }
      return fileChunks(fd);
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
