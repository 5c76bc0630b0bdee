import type { TLSConfig } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

/** What both kinds of connection (client and worker) take beyond the address. */
export interface TemporalConnectionSettings {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/**
 * Temporal connection settings through `@temporalio/envconfig`, the SDKs' shared configuration:
 * the profile `TEMPORAL_PROFILE` (default "default") of the TOML file at `TEMPORAL_CONFIG_FILE`
 * (default `~/.config/temporalio/temporal.toml`, if present), overridden by the environment
 * (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS`,
 * `TEMPORAL_TLS_CLIENT_CERT_PATH`, `TEMPORAL_TLS_CLIENT_KEY_PATH`, `TEMPORAL_TLS_SERVER_CA_CERT_PATH`,
 * `TEMPORAL_TLS_SERVER_NAME`, `TEMPORAL_GRPC_META_*`). An API key turns TLS on (Temporal Cloud).
 *
 * `address` is where the caller decided to connect (TEMPORAL_ADDRESS, or the local dev server
 * when it is unset). Credentials and TLS are only used for the server they were configured for:
 * when the profile names another address, the connection to `address` gets none of them, so a
 * Temporal Cloud profile on a developer's machine does not break `launchloop dev`.
 */
export function temporalConnectionSettings(address: string, env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const { connectionOptions } = loadClientConnectConfig({
    profile: env.TEMPORAL_PROFILE || undefined,
    overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  if (connectionOptions.address && connectionOptions.address !== address) return { address };
  return {
    address,
    ...(connectionOptions.tls != null ? { tls: connectionOptions.tls } : {}),
    ...(typeof connectionOptions.apiKey === 'string' ? { apiKey: connectionOptions.apiKey } : {}),
    ...(connectionOptions.metadata ? { metadata: connectionOptions.metadata as Record<string, string> } : {}),
  };
}

/** The one-line hint every failed connection carries. */
export function unreachableTemporal(address: string, err: unknown): Error {
  return new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}. Is the server running (launchloop dev) or TEMPORAL_ADDRESS right?`);
}
