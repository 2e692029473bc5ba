// `/debug/<id>`: the live-debugging stream of one component.
import { html, nothing, type PropertyValues } from "lit";
import { APIError, idPath, socketDebug, streamDebug } from "../api.ts";
import { LightElement } from "../elements/light-element.ts";

/** Older lines are dropped past this many, as in Alloy's UI. */
export const MAX_LINES = 5000;

type StreamError = { kind: "disabled" } | { kind: "other"; message: string };

export class LiveDebugPage extends LightElement {
  static override properties = {
    componentID: { attribute: "component-id" },
    lines: { state: true },
    filter: { state: true },
    sampleRate: { state: true },
    running: { state: true },
    autoScroll: { state: true },
    streamError: { state: true },
    copied: { state: true },
    dropped: { state: true },
    transport: { state: true },
  };

  declare componentID: string;
  declare lines: string[];
  declare filter: string;
  /** Percent of events the server keeps (sampleProb × 100). */
  declare sampleRate: number;
  declare running: boolean;
  declare autoScroll: boolean;
  declare streamError: StreamError | undefined;
  declare copied: boolean;
  /** Events the server dropped because this page was reading too slowly. */
  declare dropped: number;
  /** How events arrive: the websocket, or the chunked stream when a socket cannot open. */
  declare transport: "websocket" | "stream" | "";
  private abort: AbortController | undefined;

  constructor() {
    super();
    this.componentID = "";
    this.lines = [];
    this.filter = "";
    this.sampleRate = 100;
    this.running = false;
    this.autoScroll = true;
    this.streamError = undefined;
    this.copied = false;
    this.dropped = 0;
    this.transport = "";
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && this.componentID) this.start();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("componentID") && this.componentID) {
      this.lines = [];
      this.start();
    }
  }

  protected override updated(): void {
    if (!this.autoScroll) return;
    const log = this.querySelector<HTMLElement>(".log");
    if (log) log.scrollTop = log.scrollHeight;
  }

  private start(): void {
    this.stop();
    const abort = (this.abort = new AbortController());
    this.running = true;
    this.streamError = undefined;
    const prob = this.sampleRate / 100;
    const onLine = (text: string): void => this.addLine(text);
    this.transport = "websocket";
    socketDebug(this.componentID, prob, abort.signal, onLine, (n) => (this.dropped += n))
      .then((opened) => {
        if (opened || abort.signal.aborted) return;
        // No socket (or an error before it opened): the chunked stream works everywhere and says why it fails.
        this.transport = "stream";
        return streamDebug(this.componentID, prob, abort.signal, onLine);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        if (err instanceof APIError && err.status === 500 && /disabled/i.test(err.body)) this.streamError = { kind: "disabled" };
        else this.streamError = { kind: "other", message: err instanceof Error ? err.message : String(err) };
      })
      .finally(() => {
        if (this.abort === abort) this.running = false;
      });
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.running = false;
  }

  private incoming: string[] = [];
  private frame = 0;

  /** Lines are added once per animation frame: a render per event cannot keep up with a flood. */
  private addLine(text: string): void {
    this.incoming.push(text);
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.lines.push(...this.incoming.splice(0));
      if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
      this.requestUpdate("lines");
    });
  }

  private visibleLines(): string[] {
    const needle = this.filter.toLowerCase();
    return needle ? this.lines.filter((l) => l.toLowerCase().includes(needle)) : this.lines;
  }

  private setSampleRate(value: number): void {
    this.sampleRate = value;
    if (this.running) this.start(); // the rate is a stream parameter, so a new stream applies it
  }

  private async copy(): Promise<void> {
    const text = this.visibleLines().join("\n");
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard permission, fall back to a selection copy.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    this.copied = true;
    setTimeout(() => (this.copied = false), 1500);
  }

  private renderError(e: StreamError) {
    if (e.kind === "other") return html`<div class="error" role="alert">${e.message}</div>`;
    return html`<div class="error disabled-message" role="alert">
      <p><strong>Live debugging is disabled.</strong></p>
      <p>Enable it in the configuration file and reload Alloy:</p>
      <pre class="code">livedebugging {
  enabled = true
}</pre>
    </div>`;
  }

  protected override render() {
    const visible = this.visibleLines();
    return html`
      <header class="component-header">
        <h1>Live debugging: ${this.componentID}</h1>
        <nav class="component-links"><a href=${`component/${idPath(this.componentID)}`}>Component</a></nav>
      </header>
      <div class="toolbar debug-toolbar">
        <input
          type="search"
          class="filter"
          placeholder="Filter lines"
          aria-label="Filter lines"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
        <label class="slider"
          >Sample rate
          <input
            type="range"
            class="sample-rate"
            min="0"
            max="100"
            step="1"
            .value=${String(this.sampleRate)}
            @change=${(e: Event) => this.setSampleRate(Number((e.target as HTMLInputElement).value))}
          />
          <output>${this.sampleRate}%</output></label
        >
        <button class="pause" @click=${() => (this.running ? this.stop() : this.start())}>
          ${this.running ? "Stop" : "Resume"}
        </button>
        <button class="clear" @click=${() => (this.lines = [])}>Clear</button>
        <button class="copy" @click=${() => this.copy()}>${this.copied ? "Copied" : "Copy"}</button>
        <label
          ><input
            type="checkbox"
            class="auto-scroll"
            .checked=${this.autoScroll}
            @change=${(e: Event) => (this.autoScroll = (e.target as HTMLInputElement).checked)}
          />
          Auto-scroll</label
        >
        <span class="count" data-count=${visible.length}>${visible.length} lines</span>
        ${this.dropped > 0 ? html`<span class="warning dropped">${this.dropped} events dropped (too slow to keep up)</span>` : nothing}
        <span class="muted transport" data-transport=${this.transport}>${this.transport}</span>
      </div>
      ${this.streamError ? this.renderError(this.streamError) : nothing}
      <div class="log" role="log">${visible.map((l) => html`<div class="line">${l}</div>`)}</div>
    `;
  }
}

customElements.define("alloy-live-debug-page", LiveDebugPage);
