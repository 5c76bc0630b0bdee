import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runs } from './schema.js';
import { classifyDatabaseError, connect, ping, type Database } from './client.js';
import { freePort } from '../services/ports.js';

/**
 * The classification runs on errors as postgres.js and drizzle really produce them: a closed
 * port, a server that never answers, and a fake server that answers the startup message with a
 * Postgres ErrorResponse carrying the SQLSTATE under test (as a restarting server does with 57P03).
 */
const servers: Server[] = [];
const sockets: Socket[] = [];
const databases: Database[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((d) => d.close().catch(() => {})));
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

/** A server that refuses every connection with an ErrorResponse: severity FATAL, the given code and message. */
function refusingServer(code: string, message: string): Promise<number> {
  return listen((socket) => {
    socket.once('data', () => {
      const fields = Buffer.concat([['S', 'FATAL'], ['V', 'FATAL'], ['C', code], ['M', message]].map(([k, v]) => Buffer.from(`${k}${v}\0`)));
      const body = Buffer.concat([fields, Buffer.from([0])]);
      const header = Buffer.alloc(5);
      header.write('E', 0);
      header.writeInt32BE(body.length + 4, 1);
      socket.end(Buffer.concat([header, body]));
    });
  });
}

function open(port: number, connectTimeoutSeconds?: number): Database {
  const database = connect(`postgres://u:p@127.0.0.1:${port}/db`, { max: 1, connectTimeoutSeconds });
  databases.push(database);
  return database;
}

async function failureOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the query to fail');
}

describe('classifyDatabaseError on real postgres.js errors', () => {
  it('reads a refused connection as unavailable, also through drizzle\'s Failed query wrapper', async () => {
    const database = open(await freePort());
    const raw = await failureOf(database.sql`select 1`);
    expect(classifyDatabaseError(raw)).toEqual({ kind: 'unavailable', code: 'ECONNREFUSED' });
    const wrapped = await failureOf(database.db.update(runs).set({ status: 'failed' }).execute());
    expect((wrapped as Error).message).toMatch(/^Failed query: update "runs"/);
    expect(classifyDatabaseError(wrapped)).toEqual({ kind: 'unavailable', code: 'ECONNREFUSED' });
  });

  it('reads a server that never answers as unavailable once the short connect timeout passes', async () => {
    const database = open(await listen(() => {}), 0.3);
    const started = Date.now();
    const err = await failureOf(database.sql`select 1`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(classifyDatabaseError(err)).toEqual({ kind: 'unavailable', code: 'CONNECT_TIMEOUT' });
  });

  it.each([
    ['57P03', 'the database system is starting up', 'unavailable'],
    ['57P01', 'terminating connection due to administrator command', 'unavailable'],
    ['53300', 'sorry, too many clients already', 'unavailable'],
    ['08006', 'connection failure', 'unavailable'],
    ['40001', 'could not serialize access due to concurrent update', 'contention'],
    ['40P01', 'deadlock detected', 'contention'],
    ['22P02', 'invalid input syntax for type integer: "x"', 'invalid-data'],
  ])('reads SQLSTATE %s (%s) as %s', async (code, message, kind) => {
    const err = await failureOf(open(await refusingServer(code, message)).sql`select 1`);
    expect((err as Error).message).toBe(message);
    expect(classifyDatabaseError(err)).toEqual({ kind, code });
  });

  it('leaves constraint violations and plain errors unclassified', async () => {
    const err = await failureOf(open(await refusingServer('23505', 'duplicate key value violates unique constraint')).sql`select 1`);
    expect(classifyDatabaseError(err)).toBeUndefined();
    expect(classifyDatabaseError(new TypeError('x is undefined'))).toBeUndefined();
    expect(classifyDatabaseError('not an error')).toBeUndefined();
  });
});

describe('ping', () => {
  it('fails within its deadline on a server that never answers', async () => {
    const database = open(await listen(() => {}), 30);
    const started = Date.now();
    const err = await failureOf(ping(database, 300));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(classifyDatabaseError(err)?.kind).toBe('unavailable');
  });
});
