// `/config`: the running config as `alloy fmt` prints it, secrets shown as "(secret)",
// each component block's header linking to its page.
import { html, nothing } from "lit";
import { fetchConfig, idPath, type ConfigFileView } from "../api.ts";
import { LightElement } from "../elements/light-element.ts";

export class ConfigPage extends LightElement {
  static override properties = { files: { state: true }, error: { state: true } };

  declare files: ConfigFileView[] | undefined;
  declare error: string;
  private abort = new AbortController();

  constructor() {
    super();
    this.files = undefined;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.abort = new AbortController();
    const abort = this.abort;
    fetchConfig(abort.signal).then(
      (files) => (this.files = files),
      (err: unknown) => {
        if (!abort.signal.aborted) this.error = err instanceof Error ? err.message : String(err);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
  }

  private renderFile(f: ConfigFileView) {
    const links = new Map(f.components.map((c) => [c.line, c.id]));
    const lines = f.text.replace(/\n$/, "").split("\n");
    return html`<section class="config-file" data-file=${f.name}>
      <h2>${f.name}</h2>
      ${f.error ? html`<div class="error" role="alert">This file does not parse: ${f.error}</div>` : nothing}
      <pre class="config-text">${lines.map((l, i) => {
        const id = links.get(i + 1);
        return html`<span class="config-line"><span class="line-no">${i + 1}</span>${id
          ? html`<a class="component-link" data-id=${id} href=${`component/${idPath(id)}`}>${l}</a>`
          : l}</span>`;
      })}</pre>
    </section>`;
  }

  protected override render() {
    return html`
      <header class="component-header"><h1>Configuration</h1>
        <span class="muted">The running config, formatted; secrets are shown as "(secret)".</span></header>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : nothing}
      ${!this.files && !this.error ? html`<p class="loading">Loading…</p>` : nothing}
      ${this.files?.map((f) => this.renderFile(f))}
    `;
  }
}

customElements.define("alloy-config-page", ConfigPage);
