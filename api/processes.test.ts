import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { apiProcesses } from './processes.js';

describe('apiProcesses', () => {
  it('is 1 unless API_PROCESSES says otherwise', () => {
    expect(apiProcesses({})).toBe(1);
    expect(apiProcesses({ API_PROCESSES: '' })).toBe(1);
    expect(apiProcesses({ API_PROCESSES: '3' })).toBe(3);
    expect(apiProcesses({ API_PROCESSES: 'auto' })).toBe(availableParallelism());
  });

  it('refuses anything but a positive whole number or auto, naming the value', () => {
    for (const raw of ['0', '-2', '1.5', 'two']) expect(() => apiProcesses({ API_PROCESSES: raw })).toThrow(`got "${raw}"`);
  });
});
