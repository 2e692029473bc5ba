// The hook a receiver's `auth` extension plugs into the OTLP servers.

/** Request headers (lower-case names) as an authenticator sees them. */
export type RequestHeaders = ReadonlyMap<string, readonly string[]>;

/**
 * Checks a request before its body is read. Resolves to accept; rejects to refuse it with
 * HTTP 401 / gRPC UNAUTHENTICATED, the error's message going back to the client.
 */
export type ServerAuthenticator = (headers: RequestHeaders) => Promise<void>;

export class AuthenticationError extends Error {
  override readonly name = "AuthenticationError";
}

export function headerMap(forEach: (cb: (value: string, key: string) => void) => void): Map<string, string[]> {
  const m = new Map<string, string[]>();
  forEach((value, key) => {
    const k = key.toLowerCase();
    const list = m.get(k);
    if (list) list.push(value);
    else m.set(k, [value]);
  });
  return m;
}

/** Runs the authenticator, turning any refusal into an AuthenticationError. */
export async function authenticate(auth: ServerAuthenticator | undefined, headers: () => RequestHeaders): Promise<void> {
  if (!auth) return;
  try {
    await auth(headers());
  } catch (err) {
    throw new AuthenticationError(err instanceof Error ? err.message : String(err));
  }
}
