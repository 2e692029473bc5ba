// A tiny History-API router. The basename is the path of `<base href>`, so every route and
// link is relative to the UI prefix the server was started with.

export type Route =
  | { page: "components" }
  | { page: "component"; id: string }
  | { page: "graph"; moduleID?: string }
  | { page: "clustering" }
  | { page: "debug"; id: string }
  | { page: "config" }
  | { page: "scratch" }
  | { page: "not-found"; path: string };

const decodePath = (p: string): string =>
  p
    .split("/")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join("/");

/** Maps a path relative to the basename (no leading slash) to a page. */
export function parseRoute(relativePath: string): Route {
  const path = relativePath.replace(/^\/+/, "").replace(/\/+$/, "");
  const [head = "", ...rest] = path.split("/");
  const tail = decodePath(rest.join("/"));
  switch (head) {
    case "":
      return { page: "components" };
    case "component":
      return tail ? { page: "component", id: tail } : { page: "components" };
    case "graph":
      return tail ? { page: "graph", moduleID: tail } : { page: "graph" };
    case "clustering":
      return { page: "clustering" };
    case "config":
      return { page: "config" };
    case "scratch":
      return { page: "scratch" };
    case "debug":
      return tail ? { page: "debug", id: tail } : { page: "not-found", path };
    default:
      return { page: "not-found", path };
  }
}

/** The basename: the path of the document's base URL, always ending in `/`. */
export function basename(): string {
  const p = new URL(document.baseURI).pathname;
  return p.endsWith("/") ? p : p.slice(0, p.lastIndexOf("/") + 1);
}

export function currentRoute(): Route {
  const base = basename();
  const path = location.pathname;
  return parseRoute(path.startsWith(base) ? path.slice(base.length) : path);
}

const listeners = new Set<() => void>();

export function onRouteChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Goes to a path relative to the basename (as links in the UI are written). */
export function navigate(relative: string): void {
  const url = new URL(relative, document.baseURI);
  history.pushState(null, "", url);
  notify();
}

function notify(): void {
  for (const l of listeners) l();
}

/** Turns clicks on same-app links into History API navigation instead of page loads. */
export function interceptLinks(root: Document): void {
  addEventListener("popstate", notify);
  root.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const anchor = ev.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!anchor || !anchor.href || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(basename())) return;
    ev.preventDefault();
    if (url.href === location.href) return;
    history.pushState(null, "", url);
    notify();
    scrollTo(0, 0);
  });
}
