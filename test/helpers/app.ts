// Builds the real app on a real database for a test, with the demo council seeded, and a small browser-like
// client for app.inject() that keeps cookies and fills in CSRF tokens.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { DEMO_PASSWORD, seedDemoCouncil } from '../../src/demo/council.ts';
import { buildApp } from '../../src/app.ts';
import type { TestDatabase } from './databases.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}

export async function seededApp(database: TestDatabase, overrides: Record<string, string> = {}) {
  await seedDemoCouncil(database.db, 'test');
  return buildApp(testConfig(overrides), { database });
}

export class TestClient {
  readonly cookies = new Map<string, string>();

  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (
        cookie.value === '' ||
        (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
        (cookie.expires && cookie.expires < new Date())
      ) {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie.value);
      }
    }
    return response;
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.remember(
      await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }),
    );
  }

  /** Posts a form the way a browser would, with the CSRF token from the page the form is on. */
  async submit(pageUrl: string, actionUrl: string, fields: Record<string, string | string[]>) {
    const page = await this.get(pageUrl);
    const token = csrfTokenIn(page.body);
    return this.post(actionUrl, { _csrf: token, ...fields });
  }

  /** Uploads a file through a form, with the CSRF token from the page the form is on. */
  async upload(pageUrl: string, actionUrl: string, file: UploadedFile) {
    const token = csrfTokenIn((await this.get(pageUrl)).body);
    const { body, contentType } = multipartBody({ _csrf: token }, file);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url: actionUrl,
        headers: { cookie: this.cookieHeader(), 'content-type': contentType },
        payload: body,
      }),
    );
  }

  /** A list value is sent as the same name repeated, as a browser sends ticked checkboxes. */
  async post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: form.toString(),
      }),
    );
  }
}

/** A file as a browser's file input sends it. */
export interface UploadedFile {
  field: string;
  name: string;
  type: string;
  content: Buffer;
}

/** The multipart/form-data body a browser sends for a form with a file input. */
export function multipartBody(fields: Record<string, string>, file: UploadedFile) {
  const boundary = `----PathwayTest${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

export async function signedInClient(app: FastifyInstance, email: string): Promise<TestClient> {
  const client = new TestClient(app);
  const response = await client.submit('/sign-in', '/sign-in', { email, password: DEMO_PASSWORD });
  if (response.statusCode !== 303) throw new Error(`Signing in as ${email} failed with ${response.statusCode}`);
  return client;
}
