// The built page: one self-contained file, under the size budget, loading nothing else.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DIST } from "./browser";

const html = () => readFileSync(join(DIST, "index.html"), "utf8");

describe("site/dist", () => {
  it("is one file, index.html", () => {
    expect(readdirSync(DIST)).toEqual(["index.html"]);
  });

  it("stays under 100 kB gzip", () => {
    const size = gzipSync(readFileSync(join(DIST, "index.html"))).length;
    expect(size).toBeLessThan(100 * 1024);
  });

  it("refers to no other file or host: every src and href is data: or a #fragment", () => {
    const refs = [...html().matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.filter((r) => !(r?.startsWith("data:") || r?.startsWith("#")))).toEqual([]);
  });

  it("allows only its own inline script and style, and blob: workers", () => {
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html())?.[1] ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).toMatch(/worker-src blob:/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|connect-src|https?:/);
  });
});
