import { Client, Connection } from '@temporalio/client';

export async function connectClient(address: string, namespace: string): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 10_000 });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}. Is the server running (launchloop dev) or TEMPORAL_ADDRESS right?`);
  }
  return new Client({ connection, namespace });
}
