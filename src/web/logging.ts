// JSON logs with request ids; cookies, authorisation headers and personal fields never reach them.
import type { FastifyServerOptions } from 'fastify';

export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.email',
  '*.recipient',
  '*.given_name',
  '*.family_name',
  '*.date_of_birth',
  '*.nhs_number',
  '*.address',
  '*.postcode',
  '*._csrf',
];

export function logOptions(level: string, destination?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(destination ? { stream: destination } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      // Query strings can carry names and search words, so only the path is logged.
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        path: request.url.split('?')[0],
      }),
    },
  };
}
