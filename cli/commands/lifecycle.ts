/** Resolves on the first SIGINT or SIGTERM (Ctrl-C, docker stop). */
export function waitForInterrupt(): Promise<NodeJS.Signals> {
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
