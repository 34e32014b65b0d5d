// The page: one tab per codec in the registry (in registry order) and the Trace tab, the URL
// hash as the state, and the copy-link button.
import { codecTab } from "./codec-tab";
import { h, replace } from "./dom";
import { codecByName, codecs } from "./lib";
import { formatRoute, parseRoute } from "./route";
import type { Tab } from "./tab";
import { traceTab } from "./trace/tab";

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el;
}

/** Builds the page into index.html's `#tabs` and `#main` and follows the URL hash. */
export function startPage(): void {
  const nav = byId("tabs");
  const main = byId("main");
  const notice = h("div", { class: "notice", role: "status" });
  const copy = h("button", { type: "button", id: "copy-link" }, "Copy link");
  const copied = h("span", { class: "copied", "aria-live": "polite", id: "copy-status" });
  const manual = h("input", {
    type: "text",
    readonly: true,
    class: "manual-link",
    "aria-label": "Link to this decode",
    hidden: true,
  });

  const tabs: Tab[] = [];
  const links = new Map<Tab, HTMLAnchorElement>();
  let active: Tab | undefined;

  function changed(): void {
    if (active === undefined) return;
    const hash = formatRoute(active.name, active.pairs());
    links.get(active)?.setAttribute("href", hash);
    if (location.hash !== hash) history.replaceState(null, "", hash);
    copied.textContent = "";
  }

  for (const codec of Object.values(codecs)) tabs.push(codecTab(codec, changed));
  tabs.push(traceTab());
  const list = h("ul", {});
  for (const tab of tabs) {
    const a = h("a", { href: `#/${tab.name}`, id: `link-${tab.name}` }, tab.title);
    links.set(tab, a);
    list.append(h("li", {}, a));
  }
  replace(nav, list);
  replace(
    main,
    h("div", { class: "toolbar" }, copy, copied, manual),
    notice,
    ...tabs.map((t) => t.section),
  );

  function show(hash: string): void {
    const route = parseRoute(hash);
    replace(notice);
    let tab: Tab | undefined;
    if (route.tab === "trace") tab = tabs.find((t) => t.name === "trace");
    else if (route.tab !== "") {
      const codec = codecByName(route.tab);
      tab = codec === undefined ? undefined : tabs.find((t) => t.name === codec.names[0]);
      if (tab === undefined) {
        notice.append(
          h(
            "p",
            {},
            `There is no tab ${JSON.stringify(route.tab)}; the tabs are ${tabs.map((t) => t.name).join(", ")}.`,
          ),
        );
      }
    }
    const next = tab ?? (tabs[0] as Tab);
    for (const t of tabs) {
      t.section.hidden = t !== next;
      const a = links.get(t);
      if (t === next) a?.setAttribute("aria-current", "page");
      else a?.removeAttribute("aria-current");
    }
    active = next;
    next.load(tab === undefined ? [] : route.params);
    changed();
  }

  copy.addEventListener("click", () => {
    const url = location.href;
    manual.hidden = true;
    const fallback = () => {
      manual.value = url;
      manual.hidden = false;
      manual.select();
      copied.textContent = "Copy the selected link (Ctrl+C).";
    };
    if (navigator.clipboard === undefined) {
      fallback();
      return;
    }
    navigator.clipboard.writeText(url).then(() => {
      copied.textContent = "Link copied.";
    }, fallback);
  });

  window.addEventListener("hashchange", () => show(location.hash));
  // A file dropped outside the drop zone must not replace the page.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  show(location.hash);
}

/** Shows any uncaught error in the page instead of leaving it half drawn. */
export function reportUncaught(): void {
  const show = (message: string) => {
    const main = document.getElementById("main");
    main?.prepend(
      h("p", { class: "form-error", role: "alert" }, `Something went wrong: ${message}`),
    );
  };
  window.addEventListener("error", (e) => show(e.message));
  window.addEventListener("unhandledrejection", (e) => show(String(e.reason)));
}
