import { createServer, connect as connectTcp, type Socket } from 'node:net';

/**
 * A TCP relay on a free loopback port to `host:port`. Closing it refuses new connections and
 * resets the open ones: what a crashed server or a dropped network looks like to a connected
 * client. The outage test and `bench:outage` put it between the API and Temporal or Postgres.
 */
export async function tcpRelay(target: string): Promise<{ address: string; port: number; close(): Promise<void> }> {
  // The last colon splits the port off, so a bracketed IPv6 host ('[::1]:7233') keeps its colons.
  const at = target.lastIndexOf(':');
  const host = target.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(target.slice(at + 1));
  // Checked here: a bad target would otherwise surface as a reset connection inside whatever
  // client talks through the relay, far from the address that caused it.
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`tcpRelay: target must be host:port, got "${target}"`);
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connectTcp(port, host);
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
