// The `__syslog_*` labels loki.source.syslog attaches to a message before
// relabeling (Alloy's syslogtarget handleMessageRFC5424/RFC3164/Raw).

import { newLabelSet, type LabelSet } from "../entry.ts";
import { facilityLevel, severityLevel, type SyslogMessage } from "./message.ts";

export interface SyslogLabelOptions {
  /** listener.label_structured_data: add `__syslog_message_sd_<id>_<name>` (with `@` in ids as `_`). */
  labelStructuredData?: boolean;
}

export function syslogMessageLabels(msg: SyslogMessage, opts: SyslogLabelOptions = {}, base?: Readonly<LabelSet>): LabelSet {
  const ls = newLabelSet(base);
  ls.__syslog_message_severity = severityLevel(msg.severity);
  ls.__syslog_message_facility = facilityLevel(msg.facility);
  if (msg.hostname !== undefined) ls.__syslog_message_hostname = msg.hostname;
  if (msg.appName !== undefined) ls.__syslog_message_app_name = msg.appName;
  if (msg.procId !== undefined) ls.__syslog_message_proc_id = msg.procId;
  if (msg.msgId !== undefined) ls.__syslog_message_msg_id = msg.msgId;
  if (msg.messageCounter !== undefined) ls.__syslog_message_msg_counter = String(msg.messageCounter);
  if (msg.sequence !== undefined) ls.__syslog_message_sequence = String(msg.sequence);
  if (opts.labelStructuredData && msg.structuredData) {
    for (const [id, params] of Object.entries(msg.structuredData)) {
      const safeId = id.replaceAll("@", "_");
      for (const [name, value] of Object.entries(params)) ls[`__syslog_message_sd_${safeId}_${name}`] = value;
    }
  }
  return ls;
}

/** Raw-format messages carry only severity and facility, and only when a priority was present. */
export function syslogRawLabels(priority: number | undefined, base?: Readonly<LabelSet>): LabelSet {
  const ls = newLabelSet(base);
  if (priority !== undefined) {
    ls.__syslog_message_severity = severityLevel(priority & 7);
    ls.__syslog_message_facility = facilityLevel(priority >> 3);
  }
  return ls;
}

/** Connection labels: `__syslog_connection_ip_address` and, when resolved, `__syslog_connection_hostname`. */
export function syslogConnectionLabels(ipAddress: string, hostname?: string, base?: Readonly<LabelSet>): LabelSet {
  const ls = newLabelSet(base);
  ls.__syslog_connection_ip_address = ipAddress;
  if (hostname !== undefined && hostname !== "") ls.__syslog_connection_hostname = hostname;
  return ls;
}
