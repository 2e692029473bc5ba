// `/scratch`: paste a config to check and format it in the browser, with a preview of its
// graph. Nothing is sent to the server or applied. Loaded lazily with the syntax package.
import { html, nothing, svg } from "lit";
import { LightElement } from "../elements/light-element.ts";
import { buildPipeline } from "../graph/pipeline.ts";
import { layoutPipeline, type Layout } from "../graph/layout.ts";
import { checkScratch, type ScratchResult } from "../scratch/check.ts";

/** The name diagnostics carry, as if `alloy validate scratch.alloy` had been run. */
export const SCRATCH_FILE = "scratch.alloy";
const CHECK_DELAY_MS = 250;

const pathOf = (points: { x: number; y: number }[]): string =>
  points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");

export class ScratchPage extends LightElement {
  static override properties = { text: { state: true }, result: { state: true }, layout: { state: true } };

  declare text: string;
  declare result: ScratchResult | undefined;
  declare layout: Layout | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.text = "";
    this.result = undefined;
    this.layout = undefined;
  }

  private edit(text: string): void {
    this.text = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), CHECK_DELAY_MS);
  }

  /** Checks now (also what the Check button does, so tests need not wait for the delay). */
  check(): void {
    clearTimeout(this.timer);
    const result = checkScratch(SCRATCH_FILE, this.text);
    this.result = result;
    this.layout = result.components.length > 0 ? layoutPipeline(buildPipeline(result.components)) : undefined;
  }

  private format(): void {
    this.check();
    if (this.result?.formatted !== undefined) {
      this.text = this.result.formatted;
      this.check();
    }
  }

  private renderGraph(l: Layout) {
    return html`<div class="graph-scroll scratch-graph">
      <svg class="pipeline" width=${l.width} height=${l.height} viewBox="0 0 ${l.width} ${l.height}">
        <defs>
          <marker id="scratch-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
            <path d="M0,0 L10,5 L0,10 z"></path>
          </marker>
        </defs>
        ${l.edges.map((e) => svg`<g class="edge" data-from=${e.from} data-to=${e.to}><path d=${pathOf(e.points)} marker-end="url(#scratch-arrow)"></path></g>`)}
        ${l.nodes.map(
          (n) => svg`<g class="node health-unknown" data-id=${n.id}>
            <rect x=${n.x - n.width / 2} y=${n.y - n.height / 2} width=${n.width} height=${n.height} rx="6"></rect>
            <text class="node-name" x=${n.x} y=${n.label ? n.y - n.height / 2 + 22 : n.y - n.height / 2 + 30}>${n.name}</text>
            ${n.label ? svg`<text class="node-label" x=${n.x} y=${n.y - n.height / 2 + 40}>${n.label}</text>` : nothing}
          </g>`,
        )}
      </svg>
    </div>`;
  }

  protected override render() {
    const r = this.result;
    return html`
      <header class="component-header"><h1>Scratch</h1>
        <span class="muted">Checked and formatted in your browser; nothing is applied to the running Alloy.</span></header>
      <div class="scratch">
        <textarea class="scratch-input" spellcheck="false" aria-label="Configuration" placeholder="Paste an Alloy configuration"
          .value=${this.text} @input=${(e: Event) => this.edit((e.target as HTMLTextAreaElement).value)}></textarea>
        <div class="toolbar">
          <button class="check" @click=${() => this.check()}>Check</button>
          <button class="format" @click=${() => this.format()} ?disabled=${r !== undefined && r.formatted === undefined}>Format</button>
          ${r ? html`<span class="status" data-errors=${r.diagnostics.length}>${r.diagnostics.length === 0 ? "No syntax errors" : `${r.diagnostics.length} diagnostics`}</span>` : nothing}
        </div>
        ${r && r.diagnostics.length > 0
          ? html`<ul class="diagnostics">${r.diagnostics.map(
                (d) => html`<li class="diagnostic" data-line=${d.start?.line ?? 0} data-column=${d.start?.column ?? 0}>${d.start ? `${d.start.line}:${d.start.column}` : "-"}: ${d.message}</li>`,
              )}</ul>
              <pre class="code report">${r.report}</pre>`
          : nothing}
        <p class="muted">Checks here cover syntax only; <code>alloy validate</code> also checks component names, arguments, types and references.</p>
        ${this.layout ? this.renderGraph(this.layout) : nothing}
      </div>
    `;
  }
}

customElements.define("alloy-scratch-page", ScratchPage);
