// The Trace tab: a trace file in (file input, drag and drop, paste), its `vmexit stat` table and
// the exits-per-reason chart out, read in a Web Worker with a progress bar.
import { h, replace } from "../dom";
import { STAT_GROUPINGS, type StatGroupBy } from "../lib";
import type { Tab } from "../tab";
import { chartView } from "./chart";
import { runTrace, type TraceJob } from "./client";
import type { TraceSummary } from "./compute";
import { GROUP_HEADINGS, statTable } from "./stat-table";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryText(name: string, s: TraceSummary): string {
  const r = s.report;
  const counts = [
    plural(r.lines, "line"),
    plural(r.total, "exit"),
    plural(r.entries, "entry", "entries"),
    plural(r.other, "other line"),
    plural(r.skipped, "skipped line"),
  ];
  return `${name} (${size(s.bytes)}): ${counts.join(", ")}.`;
}

function resultView(name: string, s: TraceSummary, where: string, ms: number): HTMLElement[] {
  const r = s.report;
  const out: HTMLElement[] = [
    h(
      "p",
      { class: "trace-summary" },
      summaryText(name, s),
      h("span", { class: "where" }, ` Read in ${(ms / 1000).toFixed(2)} s in the ${where}.`),
    ),
  ];
  if (r.total === 0) {
    out.push(h("p", { class: "no-decode" }, "No kvm_exit line in this trace."));
  } else {
    out.push(statTable(r, s.samples));
    const top = s.chart.series
      .slice(0, 3)
      .map((x) => `${x.name} ${x.total}`)
      .join(", ");
    out.push(chartView(s.chart, `Exits per reason over time; most frequent: ${top}.`));
  }
  if (r.skippedLines.length > 0) {
    out.push(
      h(
        "section",
        { class: "skipped" },
        h("h3", {}, `Skipped lines (${r.skipped})`),
        h("ul", {}, ...r.skippedLines.map((l) => h("li", {}, `line ${l.line}: ${l.message}`))),
      ),
    );
  }
  out.push(
    h(
      "details",
      { class: "stat-text" },
      h("summary", {}, "As vmexit stat prints it"),
      h("pre", {}, s.text),
    ),
  );
  return out;
}

/** The Trace tab. */
export function traceTab(): Tab {
  const input = h("input", {
    type: "file",
    id: "trace-file",
    accept: ".txt,.trace,.log,.report,text/plain",
  });
  const drop = h(
    "div",
    {
      class: "drop",
      id: "trace-drop",
      tabindex: 0,
      "aria-describedby": "trace-drop-help",
      "aria-label": "Drop or paste a trace here",
    },
    h(
      "p",
      { id: "trace-drop-help" },
      "Drop a trace file here, or focus this box and paste trace text (Ctrl+V or ⌘V).",
    ),
    h("label", { for: "trace-file" }, "Or choose a file: "),
    input,
  );
  const text = h("textarea", {
    id: "trace-text",
    rows: 5,
    spellcheck: "false",
    placeholder: " CPU 0/KVM-1234 [003] d..2. 1.000000: kvm_exit: vcpu 0 reason HLT rip 0x1",
  });
  const readText = h("button", { type: "button", id: "trace-read-text" }, "Read the text");
  const pasted = h(
    "details",
    { class: "group" },
    h("summary", {}, "Type or edit trace text"),
    h("label", { for: "trace-text" }, "Trace text"),
    text,
    readText,
  );
  const by = h(
    "select",
    { id: "trace-by" },
    ...STAT_GROUPINGS.map((g) => h("option", { value: g }, `${GROUP_HEADINGS[g]} (--by ${g})`)),
  );
  const grouping = h(
    "p",
    { class: "group-by" },
    h("label", { for: "trace-by" }, "Group the table by "),
    by,
  );
  const bar = h("progress", { id: "trace-progress", max: 1, value: 0, "aria-label": "Reading" });
  const status = h("span", { role: "status", id: "trace-status" });
  const cancel = h("button", { type: "button", id: "trace-cancel" }, "Cancel");
  const progress = h("div", { class: "progress", hidden: true }, bar, status, cancel);
  const error = h("div", { class: "form-error", role: "alert", id: "trace-error" });
  const output = h("div", { class: "trace-output", id: "trace-output" });
  const section = h(
    "section",
    { id: "tab-trace", class: "tab", "aria-labelledby": "tab-trace-title", hidden: true },
    h("h2", { id: "tab-trace-title" }, "Trace"),
    h(
      "p",
      {},
      "A KVM trace as text (trace-cmd report, perf script, or the tracing/trace file) with " +
        "kvm_exit and kvm_entry events: counts and handling times per reason, like vmexit stat, " +
        "and exits per reason over time. The file is read in this page and never sent anywhere.",
    ),
    drop,
    pasted,
    grouping,
    progress,
    error,
    output,
  );

  let job: TraceJob | undefined;
  // the last trace read, read again when the grouping changes
  let last: { readonly file: Blob; readonly name: string } | undefined;

  function read(file: Blob, name: string): void {
    job?.cancel();
    last = { file, name };
    replace(error);
    replace(output);
    bar.value = 0;
    status.textContent = `Reading ${name}…`;
    progress.hidden = false;
    section.setAttribute("aria-busy", "true");
    const started = performance.now();
    const finish = () => {
      job = undefined;
      progress.hidden = true;
      section.removeAttribute("aria-busy");
    };
    job = runTrace(file, by.value as StatGroupBy, {
      progress(bytes, total) {
        bar.value = total === 0 ? 1 : bytes / total;
        status.textContent = `Read ${size(bytes)} of ${size(total)}`;
      },
      done(summary, where) {
        finish();
        replace(output, ...resultView(name, summary, where, performance.now() - started));
      },
      error(message) {
        finish();
        replace(error, h("p", {}, `${name}: ${message}`));
      },
    });
  }

  function readTransfer(data: DataTransfer | null): boolean {
    const file = data?.files[0];
    if (file !== undefined) {
      read(file, file.name);
      return true;
    }
    const t = data?.getData("text/plain") ?? "";
    if (t === "") return false;
    read(new Blob([t], { type: "text/plain" }), "pasted text");
    return true;
  }

  by.addEventListener("change", () => {
    if (last !== undefined) read(last.file, last.name);
  });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file !== undefined) read(file, file.name);
  });
  readText.addEventListener("click", () => {
    read(new Blob([text.value], { type: "text/plain" }), "typed text");
  });
  cancel.addEventListener("click", () => {
    job?.cancel();
    job = undefined;
    progress.hidden = true;
    section.removeAttribute("aria-busy");
    replace(error, h("p", {}, "Reading cancelled."));
  });
  for (const type of ["dragenter", "dragover"] as const) {
    section.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add("over");
    });
  }
  section.addEventListener("dragleave", (e) => {
    if (e.target === section || !section.contains(e.relatedTarget as Node | null)) {
      drop.classList.remove("over");
    }
  });
  section.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    readTransfer(e.dataTransfer);
  });
  drop.addEventListener("paste", (e) => {
    if (readTransfer(e.clipboardData)) e.preventDefault();
  });

  return {
    name: "trace",
    title: "Trace",
    section,
    load() {},
    pairs: () => [],
  };
}
