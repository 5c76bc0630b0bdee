import { connect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { tcpRelay } from './tcp-relay.js';

describe('tcpRelay', () => {
  it('refuses a target that is not host:port, naming it', async () => {
    for (const bad of ['localhost', 'localhost:', ':7233', 'localhost:port', 'localhost:70000']) await expect(tcpRelay(bad), bad).rejects.toThrow(`got "${bad}"`);
  });

  it('relays bytes both ways, and closing it resets the open connection', async () => {
    // An echo server behind the relay.
    const echo = createServer((s) => {
      // The relay's reset reaches this side too.
      s.on('error', () => s.destroy());
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    const relay = await tcpRelay(`127.0.0.1:${(echo.address() as { port: number }).port}`);
    try {
      const socket = connect(relay.port, '127.0.0.1');
      const reply = await new Promise<string>((resolve, reject) => {
        socket.once('data', (d) => resolve(d.toString()));
        socket.once('error', reject);
        socket.write('ping');
      });
      expect(reply).toBe('ping');
      const ended = new Promise<string>((resolve) => {
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        socket.once('close', () => resolve('closed'));
      });
      await relay.close();
      expect(['ECONNRESET', 'closed']).toContain(await ended);
      socket.destroy();
    } finally {
      await relay.close().catch(() => undefined);
      await new Promise<void>((r) => echo.close(() => r()));
    }
  });
});
