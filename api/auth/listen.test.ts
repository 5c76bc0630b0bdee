import express from 'express';
import { describe, expect, it } from 'vitest';
import { apiHost, listen, listeningUrl } from './listen.js';

describe('where the API listens', () => {
  it('binds loopback unless HOST is set', () => {
    expect(apiHost({})).toBe('127.0.0.1');
    expect(apiHost({ HOST: '' })).toBe('127.0.0.1');
    expect(apiHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('logs the address it really listens on, and names the port it cannot take', async () => {
    const server = await listen(express(), 0, '127.0.0.1');
    try {
      const url = listeningUrl(server);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(url.split(':')[2]);
      await expect(listen(express(), port, '127.0.0.1')).rejects.toThrow(new RegExp(`API on 127.0.0.1:${port}: .*EADDRINUSE.*set PORT`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
