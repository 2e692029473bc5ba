// A parsed syslog message (RFC 5424 or RFC 3164) and the names
// leodido/go-syslog gives to severities and facilities.

export interface SyslogMessage {
  format: "rfc5424" | "rfc3164";
  priority: number;
  facility: number;
  severity: number;
  /** RFC 5424 VERSION. */
  version?: number;
  /** Nanoseconds since the epoch; RFC 3164 stamps without a year are in year 0 unless a year is applied. */
  timestamp?: bigint;
  /** Seconds east of UTC the timestamp was written in (to write it back unchanged). */
  timestampOffset?: number;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  /** RFC 5424 structured data: SD-ID → param name → value (escapes removed). */
  structuredData?: Record<string, Record<string, string>>;
  /** The free-form message; undefined when the message part is absent. */
  message?: string;
  /** Cisco IOS message counter (RFC 3164 with cisco components). */
  messageCounter?: number;
  /** Cisco IOS sequence number. */
  sequence?: number;
}

export class SyslogParseError extends Error {
  constructor(
    message: string,
    /** Byte offset in the message where parsing stopped (go-syslog's [col N]). */
    readonly col: number,
  ) {
    super(message);
    this.name = "SyslogParseError";
  }
}

/** go-syslog SeverityLevel(): what `__syslog_message_severity` holds. */
export const SEVERITY_LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"] as const;

/** go-syslog FacilityLevel() keywords: what `__syslog_message_facility` holds. */
export const FACILITY_KEYWORDS = [
  "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
  "ntp", "security", "console", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
] as const;

export function severityLevel(severity: number): string {
  return SEVERITY_LEVELS[severity] ?? String(severity);
}

export function facilityLevel(facility: number): string {
  return FACILITY_KEYWORDS[facility] ?? String(facility);
}
