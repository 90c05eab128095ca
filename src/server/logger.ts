import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Redaction is by path, for the fields that can carry secrets; messages are
 * written by this codebase and never include input values.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'certificate-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'privateKey',
          '*.privateKey',
          'accessKeySecret',
          '*.accessKeySecret',
          'authorization',
          'headers.authorization',
          '*.headers.authorization',
          'variables',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
