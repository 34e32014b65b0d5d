// A static server for site/dist on 127.0.0.1 under a sub-path (the page must work from any
// folder, as on GitHub Pages), logging every path asked for.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";

/** A running server: where the page is, and every path requested so far. */
export interface StaticServer {
  /** The page's URL, ending in `/`. */
  readonly url: string;
  /** The origin, `http://127.0.0.1:port`. */
  readonly origin: string;
  /** Every request path, in order. */
  readonly paths: string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** The sub-path the page is served under. */
export const SUB_PATH = "/some/sub/path/";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
};

/** Serves `dir` under `SUB_PATH` on a free loopback port. */
export async function serve(dir: string): Promise<StaticServer> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    paths.push(path);
    if (!path.startsWith(SUB_PATH)) {
      res.writeHead(404).end();
      return;
    }
    const rel = normalize(path.slice(SUB_PATH.length) || "index.html");
    if (rel.startsWith("..")) {
      res.writeHead(403).end();
      return;
    }
    readFile(join(dir, rel)).then(
      (body) => {
        const ext = rel.slice(rel.lastIndexOf("."));
        res.writeHead(200, { "content-type": TYPES[ext] ?? "application/octet-stream" }).end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${SUB_PATH}`,
    origin,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
