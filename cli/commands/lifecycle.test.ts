import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitForInterrupt } from './lifecycle.js';

describe('waitForInterrupt', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  });

  it('shuts down once when a signal arrives twice at once (npm and tsx relay it), and forces the exit on a later one', async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stopped = waitForInterrupt();
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    await expect(stopped).resolves.toBe('SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2500);
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
  });
});
