// Turns every failure into a GOV.UK-style page (or JSON for APIs) with the right status, and never a stack trace.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { WITHOUT_CONTROL_CHARACTERS } from './form.ts';

export interface FieldError {
  /** The id of the input, so the error summary can link to it. */
  field: string;
  text: string;
}

/** Thrown by routes for a user-facing refusal with a status and a message key. */
export class HttpProblem extends Error {
  readonly statusCode: number;
  readonly messageKey: string;

  constructor(statusCode: number, messageKey: string) {
    super(messageKey);
    this.statusCode = statusCode;
    this.messageKey = messageKey;
  }
}

const PAGE_FOR_STATUS: Record<number, string> = {
  400: 'errors.badRequest',
  403: 'errors.forbidden',
  404: 'errors.notFound',
  405: 'errors.badRequest',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedType',
  429: 'errors.tooManyRequests',
};

function isReading(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function statusOf(error: FastifyError, method: string): number {
  // A route's schema refused the request (src/web/form.ts). A page whose address holds something that cannot be an
  // id does not exist; a form sent to such an address, or a body or query of the wrong shape, is a bad request. Both
  // are said in plain words, never with the validator's detail.
  if (error.validation) return error.validationContext === 'params' && isReading(method) ? 404 : 400;
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? status : 500;
}

function messageKeyOf(error: FastifyError | HttpProblem, status: number): string {
  if (error instanceof HttpProblem) return error.messageKey;
  // A character nobody types, usually pasted from another program: say so, so the person can put it right.
  if (error.validation?.some((failure) => failure.params.pattern === WITHOUT_CONTROL_CHARACTERS))
    return 'errors.unusableCharacter';
  if ('code' in error && error.code === 'FST_CSRF_INVALID_TOKEN') return 'errors.formExpired';
  if ('code' in error && error.code === 'FST_CSRF_MISSING_SECRET') return 'errors.formExpired';
  return PAGE_FOR_STATUS[status] ?? 'errors.serverError';
}

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url.startsWith('/health/');
}

export async function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error, request.method);
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
  } else {
    // Which rule of the schema failed, never the value sent: a form's fields may be personal.
    const schemaRule = error.validation?.map((failure) => `${failure.instancePath} ${failure.keyword}`);
    request.log.info({ statusCode: status, code: error.code, schemaRule }, 'request refused');
  }
  const messageKey = messageKeyOf(error, status);
  reply.status(status);
  if (wantsJson(request)) {
    return reply.send({ error: { status, message: request.t(messageKey + '.title') } });
  }
  try {
    return await reply.render('error.njk', { messageKey, status });
  } catch (pageError) {
    // The error page itself failed (its layout is broken): a plain page, never the failure's details or paths.
    request.log.error({ err: pageError }, 'error page failed');
    return reply.type('text/html; charset=utf-8').send(PLAIN_ERROR_PAGE);
  }
}

/** The last resort when even the error page cannot be rendered: plain words, no details. */
export const PLAIN_ERROR_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service</title></head>' +
  '<body><main><h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></main></body></html>';

export async function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  reply.status(404);
  if (wantsJson(request)) return reply.send({ error: { status: 404, message: request.t('errors.notFound.title') } });
  return reply.render('error.njk', { messageKey: 'errors.notFound', status: 404 });
}

/** The shape govukErrorSummary wants: every error at once, each linking to its field. */
export function errorSummary(errors: FieldError[]) {
  return errors.map((error) => ({ text: error.text, href: `#${error.field}` }));
}

/** Problems keyed by field, as the domain's checks return them, in the two shapes the GOV.UK components want. */
export function problemsForForm(problems: Record<string, string>) {
  return {
    errors: Object.entries(problems).map(([field, text]) => ({ text, href: `#${field}` })),
    fieldErrors: Object.fromEntries(Object.entries(problems).map(([field, text]) => [field, { text }])),
  };
}

export function errorFor(errors: FieldError[], field: string) {
  const found = errors.find((error) => error.field === field);
  return found ? { text: found.text } : undefined;
}
