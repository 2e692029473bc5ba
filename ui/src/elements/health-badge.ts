import { html, type TemplateResult } from "lit";
import type { HealthState } from "../alloy-json.ts";

/** A coloured label for a component's health state. */
export const healthBadge = (state: HealthState): TemplateResult =>
  html`<span class="health health-${state}" data-health=${state}>${state}</span>`;

/** Sort order used by the component table: problems first. */
export const healthRank: Record<HealthState, number> = { unhealthy: 0, exited: 1, unknown: 2, healthy: 3 };
