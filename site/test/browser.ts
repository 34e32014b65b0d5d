// Real Chromium for the playground tests: Debian's /usr/bin/chromium driven by playwright-core,
// a fresh profile per session, every console error and every request leaving the page's origin
// recorded (and such requests aborted), so each test can assert there were none.

import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type StaticServer, serve } from "./server";

/** The Chromium binary (override with VMEXIT_CHROMIUM). */
export const CHROMIUM = process.env.VMEXIT_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests are skipped, or undefined when Chromium is there. */
export const SKIP_REASON = existsSync(CHROMIUM)
  ? undefined
  : `playground browser tests skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium)`;
if (SKIP_REASON !== undefined) console.warn(SKIP_REASON);

/** The built site. */
export const DIST = resolve(import.meta.dirname, "../dist");
/** Where screenshots go (git-ignored). */
export const ARTIFACTS = resolve(import.meta.dirname, "../test-artifacts");

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A browser with the site served, and what went wrong so far. */
export interface Session {
  /** The static server (its `paths` list every request it got). */
  readonly server: StaticServer;
  /** The browser context. */
  readonly context: BrowserContext;
  /** Console errors, page errors and requests that left the origin, as messages. */
  readonly problems: string[];
  /** Every URL the browser requested. */
  readonly requests: string[];
  /** A new page at the served page with `hash` (or at `file://…/index.html` when `file`). */
  open(hash?: string, options?: { file?: boolean }): Promise<Page>;
  /** Closes the browser and the server. */
  close(): Promise<void>;
}

/** The URL of the page loaded from disk. */
export const FILE_URL = `file://${DIST}/index.html`;

function allowed(url: string, origin: string): boolean {
  return (
    url.startsWith(`${origin}/`) ||
    url.startsWith(`blob:${origin}/`) ||
    url.startsWith("blob:null/") ||
    url.startsWith("data:") ||
    url.startsWith(`${FILE_URL}`)
  );
}

/** Starts the server and a fresh Chromium. */
export async function startSession(): Promise<Session> {
  const server = await serve(DIST);
  const profile = await mkdtemp(join(tmpdir(), "vmexit-site-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  context.setDefaultTimeout(5000);
  const problems: string[] = [];
  const requests: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allowed(url, server.origin)) return route.continue();
    return route.abort();
  });
  context.on("request", (request) => {
    const url = request.url();
    requests.push(url);
    if (!allowed(url, server.origin)) problems.push(`request left the origin: ${url}`);
  });
  const watch = (page: Page) => {
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  };
  for (const page of context.pages()) watch(page);
  context.on("page", watch);
  return {
    server,
    context,
    problems,
    requests,
    async open(hash = "", options = {}) {
      const page = await context.newPage();
      await page.goto(`${options.file === true ? FILE_URL : server.url}${hash}`);
      await page.waitForSelector("nav a");
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as site/test-artifacts/`name`.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
