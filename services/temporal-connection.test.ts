import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalConnectionSettings } from './temporal-connection.js';

/** An environment without the machine's own Temporal settings or config file. */
const env = (vars: Record<string, string> = {}) => ({ TEMPORAL_CONFIG_FILE: join(tmpdir(), 'launchloop-no-such-temporal.toml'), ...vars });

describe('temporalConnectionSettings', () => {
  it('is just the address when nothing is configured (the local dev server)', () => {
    expect(temporalConnectionSettings('127.0.0.1:7233', env())).toEqual({ address: '127.0.0.1:7233' });
  });

  it('takes an API key (which turns TLS on) and gRPC metadata from the environment for TEMPORAL_ADDRESS', () => {
    const s = temporalConnectionSettings('ns.acct.tmprl.cloud:7233', env({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-1', TEMPORAL_GRPC_META_X_TEAM: 'ops' }));
    expect(s).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', apiKey: 'key-1', tls: true });
    expect(Object.values(s.metadata ?? {})).toEqual(['ops']);
  });

  it('reads a profile of a TOML file, TLS server name included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envconfig-'));
    const file = join(dir, 'temporal.toml');
    writeFileSync(file, '[profile.prod]\naddress = "temporal.internal:7233"\nnamespace = "launchloop"\napi_key = "k"\n[profile.prod.tls]\nserver_name = "temporal.internal"\n');
    const s = temporalConnectionSettings('temporal.internal:7233', { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' });
    expect(s.apiKey).toBe('k');
    expect(s.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
  });

  it('sends no credentials to a server other than the one they were configured for', () => {
    expect(temporalConnectionSettings('127.0.0.1:7233', env({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-1' }))).toEqual({ address: '127.0.0.1:7233' });
  });
});
