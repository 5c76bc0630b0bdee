import { createServer, connect as connectTcp, type Socket } from 'node:net';

/**
 * A TCP relay on a free loopback port to `host:port`. Closing it refuses new connections and
 * resets the open ones: what a crashed server or a dropped network looks like to a connected
 * client. The outage test and `bench:outage` put it between the API and Temporal or Postgres.
 */
export async function tcpRelay(target: string): Promise<{ address: string; port: number; close(): Promise<void> }> {
  const [host, port] = target.split(':');
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connectTcp(Number(port), host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const listening = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${listening}`,
    port: listening,
    close: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.resetAndDestroy();
      return closed;
    },
  };
}
