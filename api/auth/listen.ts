import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { TokensRepository } from '../../db/repositories/tokens.repository.js';
import { bootstrapAdmin } from './tokens.js';

/** Loopback unless HOST says otherwise (the Docker image sets HOST=0.0.0.0). */
export function apiHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST?.trim() || '127.0.0.1';
}

/** The address a server really listens on, as a URL (IPv6 in brackets). */
export function listeningUrl(server: Server): string {
  const { address, port, family } = server.address() as AddressInfo;
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
}

/** Listens on host:port; rejects with a message naming the port when it cannot (in use, no permission). */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (e: Error) => reject(new Error(`API on ${host}:${port}: ${e.message}; set PORT (and HOST)`)));
  });
}

/**
 * At API start: with LAUNCHLOOP_ADMIN_TOKEN that secret becomes an admin token; without it, and
 * with no usable admin token stored, one is created and its secret printed once on stdout (not
 * in the JSON log), so a fresh install can be signed into at all.
 */
export async function ensureAdminToken(tokens: TokensRepository, env: NodeJS.ProcessEnv, print: (line: string) => void, apiUrl: string): Promise<void> {
  const { created, fromEnv } = await bootstrapAdmin(tokens, env.LAUNCHLOOP_ADMIN_TOKEN);
  if (fromEnv?.revokedAt) print(`LAUNCHLOOP_ADMIN_TOKEN is token ${fromEnv.id}, which was revoked at ${fromEnv.revokedAt}: it signs nobody in`);
  if (!created) return;
  print(`No admin token existed, so one was created (token ${created.token.id}, "${created.token.name}"). Its secret, shown this once:`);
  print(`  ${created.secret}`);
  print(`Sign in: ${apiUrl}/#token=${created.secret}   ·   CLI: LAUNCHLOOP_TOKEN=<secret>   ·   more tokens: launchloop tokens create --name NAME --role ROLE`);
}
