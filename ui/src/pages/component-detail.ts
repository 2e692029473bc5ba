// `/component/<id>`: one component's health, value trees, neighbours and modules.
import { html, nothing, type PropertyValues } from "lit";
import { fetchComponent, fetchComponents, idPath } from "../api.ts";
import { globalID, type Component } from "../alloy-json.ts";
import { LightElement } from "../elements/light-element.ts";
import { healthBadge } from "../elements/health-badge.ts";
import { renderBody } from "../elements/value-tree.ts";

/** The reference page of a component on grafana.com, e.g. …/components/prometheus/prometheus.scrape/. */
export function docsURL(componentName: string): string {
  const family = componentName.split(".")[0] ?? componentName;
  return `https://grafana.com/docs/alloy/latest/reference/components/${family}/${componentName}/`;
}

// Go's zero time means "never reported".
const formatTime = (t: string): string =>
  !t || t.startsWith("0001-01-01") ? "never" : Number.isNaN(Date.parse(t)) ? t : new Date(t).toLocaleString();

export class ComponentDetailPage extends LightElement {
  static override properties = {
    componentID: { attribute: "component-id" },
    component: { state: true },
    modules: { state: true },
    error: { state: true },
  };

  declare componentID: string;
  declare component: Component | undefined;
  declare modules: Map<string, Component[] | string>;
  declare error: string;
  private abort = new AbortController();

  constructor() {
    super();
    this.componentID = "";
    this.component = undefined;
    this.modules = new Map();
    this.error = "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.abort.signal.aborted) this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("componentID") && this.isConnected) this.load();
  }

  private load(): void {
    this.abort.abort();
    const abort = (this.abort = new AbortController());
    const id = this.componentID;
    this.component = undefined;
    this.modules = new Map();
    this.error = "";
    fetchComponent(id, abort.signal).then(
      (c) => {
        this.component = c;
        for (const m of c.createdModuleIDs ?? []) {
          fetchComponents(m, abort.signal).then(
            (cs) => (this.modules = new Map(this.modules).set(m, cs)),
            (err: unknown) => {
              if (!abort.signal.aborted) this.modules = new Map(this.modules).set(m, String(err));
            },
          );
        }
      },
      (err: unknown) => {
        if (!abort.signal.aborted) this.error = err instanceof Error ? err.message : String(err);
      },
    );
  }

  private idLinks(ids: string[], moduleID: string) {
    if (ids.length === 0) return html`<p class="empty">(none)</p>`;
    // References are local IDs within the component's module.
    return html`<ul class="links">
      ${ids.map((id) => {
        const full = moduleID ? `${moduleID}/${id}` : id;
        return html`<li><a href=${`component/${idPath(full)}`}>${id}</a></li>`;
      })}
    </ul>`;
  }

  private moduleSection(moduleID: string) {
    const entry = this.modules.get(moduleID);
    return html`<section class="module" data-module=${moduleID}>
      <h3>${moduleID} <a class="graph-link" href=${`graph/${idPath(moduleID)}`}>graph</a></h3>
      ${entry === undefined
        ? html`<p class="loading">Loading…</p>`
        : typeof entry === "string"
          ? html`<p class="error">${entry}</p>`
          : entry.length === 0
            ? html`<p class="empty">(no components)</p>`
            : html`<ul class="links">
                ${entry.map(
                  (c) => html`<li>
                    ${healthBadge(c.health.state)} <a href=${`component/${idPath(globalID(c))}`}>${c.localID}</a>
                  </li>`,
                )}
              </ul>`}
    </section>`;
  }

  protected override render() {
    if (this.error) return html`<div class="error" role="alert">${this.error}</div>`;
    const c = this.component;
    if (!c) return html`<p class="loading">Loading ${this.componentID}…</p>`;
    const id = globalID(c);
    return html`
      <header class="component-header">
        <h1>${id}</h1>
        <nav class="component-links">
          <a class="docs" href=${docsURL(c.name)} target="_blank" rel="noopener">Documentation</a>
          <a class="graph-link" href=${c.moduleID ? `graph/${idPath(c.moduleID)}` : "graph"}>Graph</a>
          ${c.liveDebuggingEnabled
            ? html`<a class="debug-link" href=${`debug/${idPath(id)}`}>Live debugging</a>`
            : html`<span class="muted no-debug">Live debugging is not available for this component</span>`}
        </nav>
      </header>
      <section class="health-section">
        <h2>Health</h2>
        <dl class="health-detail">
          <dt>State</dt>
          <dd>${healthBadge(c.health.state)}</dd>
          <dt>Message</dt>
          <dd class="health-message">${c.health.message || "(none)"}</dd>
          <dt>Last updated</dt>
          <dd class="health-time" title=${c.health.updatedTime}>${formatTime(c.health.updatedTime)}</dd>
        </dl>
      </section>
      <section class="arguments"><h2>Arguments</h2>${renderBody(c.arguments)}</section>
      <section class="exports"><h2>Exports</h2>${renderBody(c.exports)}</section>
      <section class="debug-info"><h2>Debug info</h2>${renderBody(c.debugInfo)}</section>
      <section class="dependencies"><h2>Dependencies</h2>${this.idLinks(c.referencesTo, c.moduleID)}</section>
      <section class="dependants"><h2>Dependants</h2>${this.idLinks(c.referencedBy, c.moduleID)}</section>
      ${c.createdModuleIDs?.length
        ? html`<section class="modules">
            <h2>${c.name === "foreach" ? "Foreach components" : "Module components"}</h2>
            ${c.createdModuleIDs.map((m) => this.moduleSection(m))}
          </section>`
        : nothing}
    `;
  }
}

customElements.define("alloy-component-detail", ComponentDetailPage);
