// `/clustering`: the peers this node knows of.
import { html } from "lit";
import { fetchPeers } from "../api.ts";
import type { Peer } from "../alloy-json.ts";
import { LightElement } from "../elements/light-element.ts";

export class ClusteringPage extends LightElement {
  static override properties = { peers: { state: true }, error: { state: true } };

  declare peers: Peer[] | undefined;
  declare error: string;
  private abort = new AbortController();

  constructor() {
    super();
    this.peers = undefined;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.abort = new AbortController();
    fetchPeers(this.abort.signal).then(
      (ps) => (this.peers = ps.sort((a, b) => a.name.localeCompare(b.name))),
      (err: unknown) => {
        if (!this.abort.signal.aborted) this.error = err instanceof Error ? err.message : String(err);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
  }

  protected override render() {
    if (this.error) return html`<div class="error" role="alert">Could not load peers: ${this.error}</div>`;
    if (!this.peers) return html`<p class="loading">Loading peers…</p>`;
    return html`
      <h1>Clustering</h1>
      <table class="peers">
        <thead>
          <tr><th>Node</th><th>Address</th><th>State</th></tr>
        </thead>
        <tbody>
          ${this.peers.map(
            (p) => html`<tr data-peer=${p.name} class=${p.isSelf ? "self" : ""}>
              <td>${p.name}${p.isSelf ? html` <span class="self-mark" title="This node">(self)</span>` : ""}</td>
              <td>${p.addr}</td>
              <td><span class="peer-state peer-${p.state}">${p.state}</span></td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}

customElements.define("alloy-clustering-page", ClusteringPage);
