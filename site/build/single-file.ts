// A Vite plugin that turns the built page into one file: the entry chunk becomes an inline
// classic <script> at the end of <body>, the CSS an inline <style>, and a CSP meta tag allows
// exactly those two (by hash) plus the blob: worker, and nothing from the network.
import { createHash } from "node:crypto";
import type { Plugin } from "vite";

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** The Content-Security-Policy of the page, given the hashes of its inline script and style. */
export function contentSecurityPolicy(scriptHash: string, styleHash: string): string {
  return [
    "default-src 'none'",
    `script-src ${scriptHash}`,
    "worker-src blob:",
    `style-src ${styleHash}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Inlines the entry script and the style sheet into index.html and removes the files. */
export function singleFile(): Plugin {
  return {
    name: "vmexit-single-file",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const html = bundle["index.html"];
      if (html === undefined || html.type !== "asset") {
        this.error("single-file: the build has no index.html");
      }
      let page = String(html.source);
      let script: string | undefined;
      let style = "";
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === "chunk" && item.isEntry) {
          // `</script` cannot appear in inline script text; `<\/` means the same in JS.
          script = item.code.replaceAll("</script", "<\\/script");
          delete bundle[name];
        } else if (item.type === "asset" && name.endsWith(".css")) {
          style += String(item.source);
          delete bundle[name];
        } else if (item.type === "chunk") {
          this.error(`single-file: unexpected extra chunk ${name}`);
        }
      }
      if (script === undefined) this.error("single-file: the build has no entry chunk");
      page = page
        .replace(/\s*<script type="module"[^>]*><\/script>/, "")
        .replace(/\s*<link rel="stylesheet"[^>]*>/, "");
      if (/<script\s[^>]*src=|<link rel="stylesheet"/.test(page)) {
        this.error("single-file: index.html still references a script or style sheet");
      }
      const csp = contentSecurityPolicy(sha256(script), sha256(style));
      page = page
        .replace(
          '<meta charset="utf-8" />',
          () =>
            `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`,
        )
        // Function replacements: the code may contain `$&` or `$'`, which a string would expand.
        .replace("</head>", () => `  <style>${style}</style>\n  </head>`)
        .replace("</body>", () => `  <script>${script}</script>\n  </body>`);
      html.source = page;
    },
  };
}
