// `/`: every root component with its health, filterable and sortable.
import { html, nothing } from "lit";
import { fetchComponents, idPath } from "../api.ts";
import { globalID, type Component } from "../alloy-json.ts";
import { LightElement } from "../elements/light-element.ts";
import { healthBadge, healthRank } from "../elements/health-badge.ts";

type SortKey = "health" | "id";

export class ComponentListPage extends LightElement {
  static override properties = {
    components: { state: true },
    error: { state: true },
    filter: { state: true },
    sortKey: { state: true },
    ascending: { state: true },
  };

  declare components: Component[] | undefined;
  declare error: string;
  declare filter: string;
  declare sortKey: SortKey;
  declare ascending: boolean;
  private abort = new AbortController();

  constructor() {
    super();
    this.components = undefined;
    this.error = "";
    this.filter = "";
    this.sortKey = "id";
    this.ascending = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.abort = new AbortController();
    fetchComponents(undefined, this.abort.signal).then(
      (cs) => (this.components = cs),
      (err: unknown) => {
        if (!this.abort.signal.aborted) this.error = String(err instanceof Error ? err.message : err);
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
  }

  private sortBy(key: SortKey): void {
    if (this.sortKey === key) this.ascending = !this.ascending;
    else {
      this.sortKey = key;
      this.ascending = true;
    }
  }

  private visible(): Component[] {
    const needle = this.filter.trim().toLowerCase();
    const rows = (this.components ?? []).filter((c) => !needle || globalID(c).toLowerCase().includes(needle));
    const dir = this.ascending ? 1 : -1;
    return rows.sort((a, b) => {
      const byID = globalID(a).localeCompare(globalID(b));
      if (this.sortKey === "health") return dir * (healthRank[a.health.state] - healthRank[b.health.state] || byID);
      return dir * byID;
    });
  }

  private header(key: SortKey, label: string) {
    const mark = this.sortKey === key ? (this.ascending ? " ▲" : " ▼") : "";
    const sort = this.sortKey === key ? (this.ascending ? "ascending" : "descending") : "none";
    return html`<th aria-sort=${sort}>
      <button class="sort" data-sort=${key} @click=${() => this.sortBy(key)}>${label}${mark}</button>
    </th>`;
  }

  protected override render() {
    if (this.error) return html`<div class="error" role="alert">Could not load components: ${this.error}</div>`;
    if (!this.components) return html`<p class="loading">Loading components…</p>`;
    const rows = this.visible();
    return html`
      <h1>Components</h1>
      <div class="toolbar">
        <input
          type="search"
          class="filter"
          placeholder="Filter by ID"
          aria-label="Filter components"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
        <span class="count">${rows.length} of ${this.components.length}</span>
      </div>
      <table class="components">
        <thead>
          <tr>
            ${this.header("health", "Health")} ${this.header("id", "ID")}
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (c) => html`<tr data-id=${globalID(c)}>
              <td>${healthBadge(c.health.state)}</td>
              <td class="id">${globalID(c)}</td>
              <td><a class="view" href=${`component/${idPath(globalID(c))}`}>View</a></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${rows.length === 0 ? html`<p class="empty">No components match.</p>` : nothing}
    `;
  }
}

customElements.define("alloy-component-list", ComponentListPage);
