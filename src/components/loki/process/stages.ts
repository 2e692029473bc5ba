// The `stage.*` blocks loki.process (and stage.match, recursively) accepts,
// and building a Stage from a decoded block.

import * as schema from "../../../syntax/schema/index.ts";
import { CRIBlock, DockerBlock, newCRIStage, newDockerStage } from "./container.ts";
import { DecolorizeBlock, newDecolorizeStage } from "./decolorize.ts";
import { DropBlock, newDropStage } from "./drop.ts";
import { GeoIPBlock, newGeoIPStage } from "./geoip.ts";
import { JSONBlock, newJSONStage } from "./json.ts";
import {
  LabelDropBlock,
  LabelKeepBlock,
  LabelsBlock,
  StaticLabelsBlock,
  newLabelDropStage,
  newLabelKeepStage,
  newLabelsStage,
  newStaticLabelsStage,
} from "./labels.ts";
import { LimitBlock, newLimitStage } from "./limit.ts";
import { LogfmtBlock, newLogfmtStage } from "./logfmt.ts";
import { LuhnBlock, newLuhnStage } from "./luhn.ts";
import { MATCH_FIELDS, newMatchStage, type MatchArgs } from "./match.ts";
import { MetricsBlock, newMetricsStage } from "./metrics.ts";
import { MultilineBlock, newMultilineStage } from "./multiline.ts";
import { OutputBlock, newOutputStage } from "./output.ts";
import { PackBlock, newPackStage } from "./pack.ts";
import { PatternBlock, newPatternStage } from "./pattern.ts";
import type { Stage, StageBlock, StageContext } from "./pipeline.ts";
import { RegexBlock, newRegexStage } from "./regex.ts";
import { ReplaceBlock, newReplaceStage } from "./replace.ts";
import { SamplingBlock, newSamplingStage } from "./sampling.ts";
import { SplitJSONBlock, newSplitJSONStage } from "./split_json.ts";
import {
  StructuredMetadataBlock,
  StructuredMetadataDropBlock,
  newStructuredMetadataDropStage,
  newStructuredMetadataStage,
} from "./structured_metadata.ts";
import { TemplateBlock, newTemplateStage } from "./template.ts";
import { TenantBlock, newTenantStage } from "./tenant.ts";
import { TimestampBlock, newTimestampStage } from "./timestamp.ts";
import { TruncateBlock, newTruncateStage } from "./truncate.ts";
import { EventLogMessageBlock, WindowsEventBlock, newEventLogMessageStage, newWindowsEventStage } from "./windows_messages.ts";

type Factory = (value: never, ctx: StageContext) => Stage;

interface StageKind {
  schema: schema.BlockSchema;
  build: Factory;
}

const kind = <S extends schema.BlockSchema>(s: S, build: (v: schema.Infer<S>, ctx: StageContext) => Stage): StageKind => ({
  schema: s,
  build: build as Factory,
});

/** Every stage block by its full name (what `schema.enumBlocks` decodes). */
export const STAGE_MEMBERS: Record<string, schema.BlockSchema> = {};

const MatchBlock = schema.block({ ...MATCH_FIELDS, stages: schema.enumBlocks(STAGE_MEMBERS) });

const KINDS: Record<string, StageKind> = {
  "stage.cri": kind(CRIBlock, newCRIStage),
  "stage.decolorize": kind(DecolorizeBlock, () => newDecolorizeStage()),
  "stage.docker": kind(DockerBlock, (_v, ctx) => newDockerStage(ctx)),
  "stage.drop": kind(DropBlock, newDropStage),
  "stage.eventlogmessage": kind(EventLogMessageBlock, newEventLogMessageStage),
  "stage.geoip": kind(GeoIPBlock, newGeoIPStage),
  "stage.json": kind(JSONBlock, newJSONStage),
  "stage.label_drop": kind(LabelDropBlock, (v) => newLabelDropStage(v)),
  "stage.label_keep": kind(LabelKeepBlock, (v) => newLabelKeepStage(v)),
  "stage.labels": kind(LabelsBlock, newLabelsStage),
  "stage.limit": kind(LimitBlock, newLimitStage),
  "stage.logfmt": kind(LogfmtBlock, newLogfmtStage),
  "stage.luhn": kind(LuhnBlock, (v) => newLuhnStage(v)),
  "stage.match": kind(MatchBlock, (v, ctx) => newMatchStage(v as unknown as MatchArgs, ctx)),
  "stage.metrics": kind(MetricsBlock, newMetricsStage),
  "stage.multiline": kind(MultilineBlock, newMultilineStage),
  "stage.output": kind(OutputBlock, newOutputStage),
  "stage.pack": kind(PackBlock, newPackStage),
  "stage.pattern": kind(PatternBlock, newPatternStage),
  "stage.regex": kind(RegexBlock, newRegexStage),
  "stage.replace": kind(ReplaceBlock, newReplaceStage),
  "stage.sampling": kind(SamplingBlock, (v, ctx) => newSamplingStage(v, ctx)),
  "stage.split_json": kind(SplitJSONBlock, newSplitJSONStage),
  "stage.static_labels": kind(StaticLabelsBlock, (v) => newStaticLabelsStage(v)),
  "stage.structured_metadata": kind(StructuredMetadataBlock, newStructuredMetadataStage),
  "stage.structured_metadata_drop": kind(StructuredMetadataDropBlock, (v) => newStructuredMetadataDropStage(v)),
  "stage.template": kind(TemplateBlock, newTemplateStage),
  "stage.tenant": kind(TenantBlock, newTenantStage),
  "stage.timestamp": kind(TimestampBlock, newTimestampStage),
  "stage.truncate": kind(TruncateBlock, newTruncateStage),
  "stage.windowsevent": kind(WindowsEventBlock, newWindowsEventStage),
};

for (const [name, k] of Object.entries(KINDS)) STAGE_MEMBERS[name] = k.schema;

/** Builds one stage; a bad configuration throws `invalid stage config <reason>` as Alloy reports it. */
export function buildStage(block: StageBlock, ctx: StageContext): Stage {
  const k = KINDS[block.kind];
  if (!k) throw new Error(`invalid stage config: unknown stage ${block.kind}`);
  try {
    return k.build(block.value as never, ctx);
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(msg.startsWith("invalid stage config") ? msg : `invalid stage config ${msg}`);
  }
}
