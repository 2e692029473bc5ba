// gRPC server keepalive settings mapped onto node:http2 sessions, as far as node:http2 allows:
// idle and age limits close the connection with GOAWAY; `time`/`timeout` send PINGs and drop
// connections whose peer stops answering. The enforcement policy (rejecting clients that ping
// too often) has no node:http2 hook and is not applied.

import type http2 from "node:http2";

export interface GrpcServerKeepalive {
  /** Close connections idle (no active streams) this long. */
  maxConnectionIdleMs?: number;
  /** Close connections older than this (GOAWAY), after `maxConnectionAgeGraceMs` more. */
  maxConnectionAgeMs?: number;
  maxConnectionAgeGraceMs?: number;
  /** Ping the client after this long without activity... */
  timeMs?: number;
  /** ...and close the connection if the ping is not answered within this. */
  timeoutMs?: number;
}

export function applyServerKeepalive(session: http2.ServerHttp2Session, ka: GrpcServerKeepalive): void {
  const timers: NodeJS.Timeout[] = [];
  const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;

  if (finite(ka.maxConnectionIdleMs)) {
    let idleTimer: NodeJS.Timeout | undefined;
    let active = 0;
    const arm = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => session.close(), ka.maxConnectionIdleMs);
      idleTimer.unref();
    };
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      active++;
      clearTimeout(idleTimer);
      stream.on("close", () => {
        if (--active === 0) arm();
      });
    });
    arm();
    session.on("close", () => clearTimeout(idleTimer));
  }

  if (finite(ka.maxConnectionAgeMs)) {
    const age = setTimeout(() => {
      session.close();
      const grace = ka.maxConnectionAgeGraceMs;
      if (finite(grace)) timers.push(setTimeout(() => session.destroy(), grace).unref());
    }, ka.maxConnectionAgeMs);
    timers.push(age.unref());
  }

  if (finite(ka.timeMs)) {
    const timeout = finite(ka.timeoutMs) ? ka.timeoutMs : 20_000;
    const ping = setInterval(() => {
      if (session.closed || session.destroyed) return;
      const deadline = setTimeout(() => session.destroy(), timeout).unref();
      try {
        session.ping((err) => {
          clearTimeout(deadline);
          if (err) session.destroy();
        });
      } catch {
        clearTimeout(deadline);
      }
    }, ka.timeMs);
    timers.push(ping.unref());
  }

  session.on("close", () => timers.forEach((t) => clearTimeout(t)));
}
