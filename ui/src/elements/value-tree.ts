// Renders alloyjson value trees (arguments, exports, debug info) much like Alloy source.
import { html, nothing, type TemplateResult } from "lit";
import type { AlloyStatement, AlloyValue } from "../alloy-json.ts";

export function renderValue(v: AlloyValue): TemplateResult {
  switch (v.type) {
    case "null":
      return html`<span class="v-null">null</span>`;
    case "number":
      return html`<span class="v-number">${String(v.value)}</span>`;
    case "bool":
      return html`<span class="v-bool">${String(v.value)}</span>`;
    case "string":
      return html`<span class="v-string">${JSON.stringify(v.value)}</span>`;
    case "function":
      return html`<span class="v-function">${v.value || "function"}</span>`;
    case "capsule":
      return html`<span class="v-capsule">${v.value}</span>`;
    case "array":
      if (v.value.length === 0) return html`<span class="v-array">[]</span>`;
      return html`<span class="v-array">[<ul class="v-items">
          ${v.value.map((item) => html`<li>${renderValue(item)},</li>`)}
        </ul>]</span>`;
    case "object":
      if (v.value.length === 0) return html`<span class="v-object">{}</span>`;
      return html`<span class="v-object">{<ul class="v-items">
          ${v.value.map((f) => html`<li><span class="v-key">${objectKey(f.key)}</span> = ${renderValue(f.value)},</li>`)}
        </ul>}</span>`;
  }
}

// Keys that are not identifiers are quoted, as Alloy prints them.
const objectKey = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k));

/** A body as a table of attributes followed by its nested blocks. */
export function renderBody(body: AlloyStatement[], emptyText = "(none)"): TemplateResult {
  if (body.length === 0) return html`<p class="empty">${emptyText}</p>`;
  const attrs = body.filter((s) => s.type === "attr");
  const blocks = body.filter((s) => s.type === "block");
  return html`
    ${attrs.length > 0
      ? html`<table class="body-table">
          <tbody>
            ${attrs.map(
              (a) => html`<tr class="attr" data-name=${a.name}>
                <th>${a.name}</th>
                <td>${renderValue(a.value)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
      : nothing}
    ${blocks.map(
      (b) => html`<section class="block" data-name=${b.name}>
        <h4>${b.name}${b.label ? html` <span class="v-string">${JSON.stringify(b.label)}</span>` : nothing}</h4>
        ${renderBody(b.body, "(empty block)")}
      </section>`,
    )}
  `;
}
