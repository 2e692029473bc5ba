import { LitElement } from "lit";

/** Renders into the element itself rather than a shadow root, so the one global stylesheet applies. */
export class LightElement extends LitElement {
  protected override createRenderRoot(): HTMLElement {
    return this;
  }
}
