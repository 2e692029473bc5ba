// `/graph[/<moduleID>]`: the pipeline laid out with dagre, nodes coloured by health, edges
// labelled with live throughput from the graph stream. Imported lazily by the app shell.
import { html, nothing, svg, type PropertyValues } from "lit";
import { fetchComponents, idPath, streamGraph } from "../api.ts";
import { LightElement } from "../elements/light-element.ts";
import { buildPipeline, edgeKey, edgeRates, formatRate, type EdgeRate } from "../graph/pipeline.ts";
import { layoutPipeline, MODULE_LINK_HEIGHT, NODE_HEIGHT, type Layout, type PlacedEdge, type PlacedNode } from "../graph/layout.ts";
import { navigate } from "../router.ts";

export const DEFAULT_WINDOW_SECONDS = 5;
const RECONNECT_MS = 2000;

const pathOf = (points: { x: number; y: number }[]): string =>
  points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");

export class GraphPage extends LightElement {
  static override properties = {
    moduleID: { attribute: "module-id" },
    layout: { state: true },
    rates: { state: true },
    windowSeconds: { state: true },
    error: { state: true },
    streamError: { state: true },
    zoom: { state: true },
  };

  declare moduleID: string;
  declare layout: Layout | undefined;
  declare rates: Map<string, EdgeRate> | undefined;
  declare windowSeconds: number;
  declare error: string;
  declare streamError: string;
  /** Scale of the drawing; the SVG keeps its viewBox and only its rendered size changes. */
  declare zoom: number;
  private loadAbort = new AbortController();
  private streamAbort = new AbortController();

  constructor() {
    super();
    this.moduleID = "";
    this.layout = undefined;
    this.rates = undefined;
    this.windowSeconds = DEFAULT_WINDOW_SECONDS;
    this.error = "";
    this.streamError = "";
    this.zoom = 1;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.loadAbort.abort();
    this.streamAbort.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has("moduleID")) this.load();
  }

  private load(): void {
    this.loadAbort.abort();
    const abort = (this.loadAbort = new AbortController());
    this.layout = undefined;
    this.error = "";
    fetchComponents(this.moduleID || undefined, abort.signal).then(
      (components) => (this.layout = layoutPipeline(buildPipeline(components))),
      (err: unknown) => {
        if (!abort.signal.aborted) this.error = err instanceof Error ? err.message : String(err);
      },
    );
    this.startStream();
  }

  private startStream(): void {
    this.streamAbort.abort();
    const abort = (this.streamAbort = new AbortController());
    this.rates = undefined;
    this.streamError = "";
    const moduleID = this.moduleID || undefined;
    streamGraph(moduleID, this.windowSeconds, abort.signal, (frame) => (this.rates = edgeRates(frame, moduleID, this.layout?.edges))).then(
      () => {
        // The server ended the stream (e.g. while reloading): reconnect, unless the page moved on.
        if (!abort.signal.aborted) setTimeout(() => abort.signal.aborted || this.startStream(), RECONNECT_MS);
      },
      (err: unknown) => {
        if (!abort.signal.aborted) this.streamError = err instanceof Error ? err.message : String(err);
      },
    );
  }

  private setWindow(seconds: number): void {
    this.windowSeconds = Math.min(60, Math.max(1, Math.round(seconds) || DEFAULT_WINDOW_SECONDS));
    this.startStream();
  }

  private setZoom(zoom: number): void {
    this.zoom = Math.min(2, Math.max(0.1, zoom));
  }

  /** Shrinks a large graph to the width of the page (never enlarges a small one). */
  private fitZoom(): void {
    const box = this.querySelector<HTMLElement>(".graph-scroll");
    if (!box || !this.layout?.width) return;
    this.setZoom(Math.min(1, (box.clientWidth - 4) / this.layout.width));
  }

  private renderNode(n: PlacedNode) {
    const open = (): void => navigate(`component/${idPath(n.globalID)}`);
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    return svg`<g class="node health-${n.health}" data-id=${n.id} data-health=${n.health} role="link" tabindex="0"
        @click=${open} @keydown=${(e: KeyboardEvent) => e.key === "Enter" && open()}>
      <title>${n.globalID} (${n.health})</title>
      <rect x=${x} y=${y} width=${n.width} height=${n.height} rx="6"></rect>
      <text class="node-name" x=${n.x} y=${n.label ? y + 22 : y + 30}>${n.name}</text>
      ${n.label ? svg`<text class="node-label" x=${n.x} y=${y + 40}>${n.label}</text>` : nothing}
      ${n.moduleIDs.map(
        (m, i) => svg`<text class="node-module" x=${n.x} y=${y + NODE_HEIGHT + 4 + i * MODULE_LINK_HEIGHT}
            @click=${(e: Event) => {
              e.stopPropagation();
              navigate(`graph/${idPath(m)}`);
            }}><title>Graph of module ${m}</title>module graph ↗</text>`,
      )}
    </g>`;
  }

  private renderEdge(e: PlacedEdge) {
    const rate = this.rates?.get(edgeKey(e.from, e.to));
    const text = this.rates ? formatRate(rate?.rate ?? 0) : "";
    return svg`<g class="edge" data-from=${e.from} data-to=${e.to}>
      <path d=${pathOf(e.points)} marker-end="url(#arrow)"></path>
      ${text
        ? svg`<text class="edge-label" x=${e.labelX} y=${e.labelY + 4} data-rate=${rate?.rate ?? 0}>${text}<title
              >${rate?.types.join(", ") || "no data"} in the last ${this.windowSeconds}s</title></text>`
        : nothing}
    </g>`;
  }

  protected override render() {
    const l = this.layout;
    return html`
      <header class="component-header">
        <h1>
          ${this.moduleID ? html`<a href="graph">Graph</a> / ${this.moduleID}` : "Graph"}
        </h1>
      </header>
      <div class="toolbar">
        <label class="slider"
          >Window
          <input
            type="range"
            class="window"
            min="1"
            max="60"
            step="1"
            .value=${String(this.windowSeconds)}
            @change=${(e: Event) => this.setWindow(Number((e.target as HTMLInputElement).value))}
          />
          <output>${this.windowSeconds}s</output></label
        >
        <span class="zoom">
          <button class="zoom-out" title="Zoom out" @click=${() => this.setZoom(this.zoom / 1.25)}>−</button>
          <output>${Math.round(this.zoom * 100)}%</output>
          <button class="zoom-in" title="Zoom in" @click=${() => this.setZoom(this.zoom * 1.25)}>+</button>
          <button class="zoom-fit" title="Fit the width of the page" @click=${() => this.fitZoom()}>Fit</button>
        </span>
        ${this.streamError ? html`<span class="warning">Live rates unavailable: ${this.streamError}</span>` : nothing}
      </div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${!l && !this.error ? html`<p class="loading">Loading graph…</p>` : nothing}
      ${l && l.nodes.length === 0 ? html`<p class="empty">No components.</p>` : nothing}
      ${l && l.nodes.length > 0
        ? html`<div class="graph-scroll">
            <svg class="pipeline" width=${l.width * this.zoom} height=${l.height * this.zoom} viewBox="0 0 ${l.width} ${l.height}">
              <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
                  <path d="M0,0 L10,5 L0,10 z"></path>
                </marker>
              </defs>
              ${l.edges.map((e) => this.renderEdge(e))} ${l.nodes.map((n) => this.renderNode(n))}
            </svg>
          </div>`
        : nothing}
    `;
  }
}

customElements.define("alloy-graph-page", GraphPage);
