import { Client, Connection } from '@temporalio/client';
import { temporalConnectionSettings, unreachableTemporal } from './temporal-connection.js';
import { clientInterceptors, setupTracing } from './tracing.js';

/**
 * A client of the Temporal server at `address` (TLS, API key and gRPC metadata from envconfig, see
 * temporal-connection.ts), with the tracing and request-id interceptors on every workflow call.
 */
export async function connectClient(address: string, namespace: string): Promise<Client> {
  await setupTracing('launchloop');
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporalConnectionSettings(address), connectTimeout: 10_000 });
  } catch (err) {
    throw unreachableTemporal(address, err);
  }
  return new Client({ connection, namespace, interceptors: { workflow: clientInterceptors() } });
}
