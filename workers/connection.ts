import { NativeConnection } from '@temporalio/worker';

export async function connectWorker(address: string): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}. Is the server running (launchloop dev) or TEMPORAL_ADDRESS right?`);
  }
}
