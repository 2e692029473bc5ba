// `<alloy-app>`: the navigation bar and the page for the current route.
import { html, type TemplateResult } from "lit";
import { LightElement } from "./elements/light-element.ts";
import { currentRoute, interceptLinks, onRouteChange, type Route } from "./router.ts";
import "./pages/component-list.ts";
import "./pages/component-detail.ts";
import "./pages/clustering-page.ts";
import "./pages/live-debug-page.ts";
import "./pages/config-page.ts";

// The graph page carries dagre; it is fetched the first time a graph is shown.
let graphPage: Promise<unknown> | undefined;
const loadGraphPage = (): Promise<unknown> => (graphPage ??= import("./pages/graph-page.ts"));
// The scratch page carries the syntax package and dagre.
let scratchPage: Promise<unknown> | undefined;
const loadScratchPage = (): Promise<unknown> => (scratchPage ??= import("./pages/scratch-page.ts"));

export class AlloyApp extends LightElement {
  static override properties = { route: { state: true }, loadError: { state: true } };

  declare route: Route;
  declare loadError: string;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.route = currentRoute();
    this.loadError = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onRouteChange(() => (this.route = currentRoute()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private page(r: Route): TemplateResult {
    switch (r.page) {
      case "components":
        return html`<alloy-component-list></alloy-component-list>`;
      case "component":
        return html`<alloy-component-detail component-id=${r.id}></alloy-component-detail>`;
      case "graph":
        loadGraphPage().catch((err: unknown) => (this.loadError = `Could not load the graph page: ${String(err)}`));
        return html`<alloy-graph-page module-id=${r.moduleID ?? ""}></alloy-graph-page>`;
      case "clustering":
        return html`<alloy-clustering-page></alloy-clustering-page>`;
      case "debug":
        return html`<alloy-live-debug-page component-id=${r.id}></alloy-live-debug-page>`;
      case "config":
        return html`<alloy-config-page></alloy-config-page>`;
      case "scratch":
        loadScratchPage().catch((err: unknown) => (this.loadError = `Could not load the scratch page: ${String(err)}`));
        return html`<alloy-scratch-page></alloy-scratch-page>`;
      case "not-found":
        return html`<h1>Not found</h1>
          <p>No page at <code>${r.path}</code>. <a href="./">Back to the components</a>.</p>`;
    }
  }

  private navLink(href: string, label: string, active: boolean): TemplateResult {
    return html`<a href=${href} class=${active ? "active" : ""} aria-current=${active ? "page" : "false"}>${label}</a>`;
  }

  protected override render() {
    const p = this.route.page;
    return html`
      <nav class="topbar">
        <a class="brand" href="./">Grafana Alloy</a>
        ${this.navLink("./", "Components", p === "components" || p === "component" || p === "debug")}
        ${this.navLink("graph", "Graph", p === "graph")} ${this.navLink("clustering", "Clustering", p === "clustering")}
        ${this.navLink("config", "Config", p === "config")} ${this.navLink("scratch", "Scratch", p === "scratch")}
        <span class="spacer"></span>
        <a href="https://grafana.com/docs/alloy/latest/" target="_blank" rel="noopener">Help</a>
      </nav>
      <main>${this.loadError ? html`<div class="error" role="alert">${this.loadError}</div>` : this.page(this.route)}</main>
    `;
  }
}

customElements.define("alloy-app", AlloyApp);
interceptLinks(document);
