// What a route accepts, declared as a schema on the route, and reading the submitted fields.
//
// The pattern for a route file (each feature's *routes.ts):
//
//   export async function someRoutes(instance: FastifyInstance) {
//     const app = instance.withTypeProvider<TypeBoxTypes>();
//     const schema = { params: IdParams, body: formBody({ name: Text(), tags: OneOrMany() }, { version: WholeNumber }) };
//     app.post('/things/:id', { config: ACCESS, schema }, async (request, reply) => {
//       request.params.id; text(request.body.name); request.body.tags ?? []; request.body.version; ...
//     });
//   }
//
// Fastify checks params, query and body against the schema before the handler runs (its ajv, with types coerced:
// '3' becomes 3 for an Integer, and one value becomes a list of one for a OneOrMany). A request of the wrong shape
// never reaches the handler: a page whose address holds something that is not an id is "Page not found"; a form
// sent to such an address, or a body or query of the wrong shape, is a plain 400 page (JSON under /api/), see
// src/web/errors.ts. A schema is about shape only: which fields
// exist, text or list, how long at most, ids as UUIDs. What a person must put right (a missing answer, a date that
// is not a date) stays in the feature's validation, so the page can show the error summary with their answers kept.
import {
  Type,
  type Static,
  type TComposite,
  type TObject,
  type TPartial,
  type TProperties,
  type TSchema,
  type TString,
} from '@sinclair/typebox';
import type { FastifyTypeProvider } from 'fastify';
import { UUID_PATTERN } from './ids.ts';

/** Gives a route's handler the types of its schemas: `app.withTypeProvider<TypeBoxTypes>()`. */
export interface TypeBoxTypes extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

/** A record's id. */
export const Uuid = Type.String({ pattern: UUID_PATTERN });

/** An id field that a form may send empty, as a select's "choose" option does. */
export const UuidOrEmpty = Type.String({ pattern: `${UUID_PATTERN}|^$` });

/**
 * Text with no control characters other than tab, line feed and carriage return (which a long answer holds). No
 * one types the others, and a NUL cannot even be stored in PostgreSQL text, so a form holding one is a bad request.
 */
export const WITHOUT_CONTROL_CHARACTERS = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

/**
 * A text field, at most `max` characters, without control characters (a plain 400 page). Without a limit it is
 * bounded by the body's (100 KB), so a long answer always reaches the feature's own check and its message; give a
 * limit only where no person could send more.
 */
export function Text(max = 100 * 1024) {
  return Type.String({ maxLength: max, pattern: WITHOUT_CONTROL_CHARACTERS });
}

/** A field that may repeat, as ticked checkboxes do: one value arrives as a list of one. */
export function OneOrMany(max = 100 * 1024) {
  return Type.Array(Text(max), { maxItems: 1000 });
}

/** Text fields by name, for a form whose fields are listed once (as a page's field names are). */
export function textFields<Name extends string>(names: readonly Name[]): Record<Name, TString> {
  return Object.fromEntries(names.map((name) => [name, Text()])) as Record<Name, TString>;
}

/** Each named field's value, trimmed; '' for a field not sent. */
export function textValues<Name extends string>(
  body: Partial<Record<Name, string>>,
  names: readonly Name[],
): Record<Name, string> {
  return Object.fromEntries(names.map((name) => [name, text(body[name])])) as Record<Name, string>;
}

/** A whole number sent as text, as a record's version is in a hidden field. */
export const WholeNumber = Type.Integer({ minimum: 0 });

/**
 * A submitted form. What a person fills in is optional in shape (a missing answer is for the feature's validation
 * to explain); what the page itself puts in hidden fields (a record's id and version) may be required. Fields not
 * named (the CSRF token `_csrf`, a button's name) are let through.
 */
export function formBody<Answers extends TProperties>(answers: Answers): TPartial<TObject<Answers>>;
export function formBody<Answers extends TProperties, Hidden extends TProperties>(
  answers: Answers,
  hidden: Hidden,
): TComposite<[TPartial<TObject<Answers>>, TObject<Hidden>]>;
export function formBody(answers: TProperties, hidden?: TProperties) {
  const optional = Type.Partial(Type.Object(answers));
  return hidden ? Type.Composite([optional, Type.Object(hidden)]) : optional;
}

/** A query string: every parameter optional, and others let through (`?lang=` is on every page). */
export function queryOf<Parameters extends TProperties>(parameters: Parameters) {
  return Type.Partial(Type.Object(parameters));
}

/** The route's `:id`. */
export const IdParams = Type.Object({ id: Uuid });

/** A text field's value, trimmed; '' when it was not sent. */
export function text(value: string | undefined): string {
  return value?.trim() ?? '';
}

/** A value by name from something that came from outside without a schema (a multipart form, a hook's query). */
export function fieldOf(record: unknown, name: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[name] : undefined;
}

/** A file as @fastify/multipart gives it when a multipart form's fields are attached to the body. */
export interface UploadedFile {
  type: 'file';
  filename?: string;
  file?: { truncated?: boolean };
  toBuffer: () => Promise<Buffer>;
}

/** Whether a multipart form's field is a file (rather than text, or nothing). */
export function isUploadedFile(part: unknown): part is UploadedFile {
  return fieldOf(part, 'type') === 'file' && typeof fieldOf(part, 'toBuffer') === 'function';
}
