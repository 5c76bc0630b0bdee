import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionSettings, unreachableTemporal } from '../services/temporal-connection.js';

/** The workers' connection: the same envconfig settings (TLS, API key) as the clients'. */
export async function connectWorker(address: string): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(temporalConnectionSettings(address));
  } catch (err) {
    throw unreachableTemporal(address, err);
  }
}
