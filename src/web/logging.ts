// JSON logs with request ids; cookies, authorisation headers and personal fields never reach them.
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';

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

/** PostgreSQL's errors (from pg and from PGlite alike) carry a five-character SQLSTATE code and a severity. */
interface DatabaseError extends Error {
  code: string;
  severity: string;
}

function isDatabaseError(error: unknown): error is DatabaseError {
  if (!(error instanceof Error) || !('code' in error) || !('severity' in error)) return false;
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code);
}

/**
 * A database error as logged: the kind of failure and where it happened, never the values the query was given.
 * PGlite attaches the query's parameters to its errors, and PostgreSQL's message, detail, hint and context quote
 * values ('invalid input syntax for type date: "…"', 'Key (nhs_number)=(…) already exists'), so the parameters,
 * detail, hint and context are left out and quoted text is taken out of the message (and of the stack's first line).
 */
function databaseErrorForLog(error: DatabaseError) {
  const fields = error as unknown as Record<string, unknown>;
  const named = (key: string) => (typeof fields[key] === 'string' ? fields[key] : undefined);
  const message = error.message.replace(/"[^"]*"/g, '"…"').replace(/\([^)]*\)=\([^)]*\)/g, '(…)=(…)');
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return {
    type: error.name,
    message,
    code: error.code,
    severity: error.severity,
    table: named('table'),
    column: named('column'),
    constraint: named('constraint'),
    dataType: named('dataType'),
    routine: named('routine'),
    stack: [`${error.name}: ${message}`, ...frames].join('\n'),
  };
}

/** Errors as pino logs them, except a database error's, which can hold personal details (see above). */
function errorForLog(error: Error) {
  return isDatabaseError(error) ? databaseErrorForLog(error) : stdSerializers.err(error);
}

export function logOptions(level: string, destination?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(destination ? { stream: destination } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      err: errorForLog,
      // Query strings can carry names and search words, so only the path is logged.
      req: (request: { method: string; url: string; id: string }) => ({
        method: request.method,
        path: request.url.split('?')[0],
      }),
    },
  };
}
