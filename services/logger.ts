import pino from 'pino';

/** One structured logger; components take a child with their name. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  base: { app: 'launchloop' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
