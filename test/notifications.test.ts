// The notifications outbox and the GOV.UK Notify client, checked against Notify's documented API contract
// (POST /v2/notifications/email, a JWT signed with the API key's secret, iss = service id, iat = now).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { deliverQueuedNotifications, queueNotification } from '../src/features/notifications/service.ts';
import { notifySender, outboxOnlySender } from '../src/features/notifications/senders.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient } from './helpers/app.ts';

const SERVICE_ID = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET_KEY = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const API_KEY = `pathway_test-${SERVICE_ID}-${SECRET_KEY}`;
const TEMPLATE_ID = 'f33517ff-2a88-4f6e-b855-c550268ce08a';

interface CapturedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

function fakeNotifyApi(answer: (request: CapturedRequest) => { status: number; body: unknown }) {
  const received: CapturedRequest[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const parsed = JSON.parse(raw || '{}') as Record<string, unknown>;
      const captured = { method: request.method, url: request.url, headers: request.headers, body: parsed };
      received.push(captured);
      const { status, body } = answer(captured);
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  return {
    received,
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function verifyNotifyJwt(authorization: string | undefined) {
  assert.ok(authorization?.startsWith('Bearer '), 'a bearer token is sent');
  if (!authorization) return;
  const [header, payload, signature] = authorization.slice('Bearer '.length).split('.');
  assert.ok(header && payload && signature);
  const expected = createHmac('sha256', SECRET_KEY).update(`${header}.${payload}`).digest('base64url');
  assert.equal(signature, expected, 'signed with the secret part of the API key');
  assert.equal((JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg: string }).alg, 'HS256');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss: string; iat: number };
  assert.equal(claims.iss, SERVICE_ID, 'the issuer is the service id');
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 30, 'issued now (Notify refuses tokens over 30 seconds old)');
}

for (const target of databaseTargets()) {
  describe(`notifications on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('a message is rendered from its template and kept in the outbox', async () => {
      const id = await queueNotification(database.db, {
        laCode: 'Z99',
        template: 'account-locked',
        recipient: 'someone@example.test',
        params: { minutes: 15 },
      });
      const row = await database.db
        .selectFrom('notifications_outbox')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'queued');
      assert.equal(row.subject, 'Someone tried to sign in to your Pathway account');
      assert.match(row.body, /locked it for 15 minutes/);
    });

    test('without GOV.UK Notify, delivery marks messages as recorded only', async () => {
      await queueNotification(database.db, {
        laCode: 'Z99',
        template: 'account-locked',
        recipient: 'a@example.test',
        params: { minutes: 5 },
      });
      const report = await deliverQueuedNotifications(database.db, outboxOnlySender);
      assert.ok(report.delivered >= 1);
      const queued = await database.db
        .selectFrom('notifications_outbox')
        .select('id')
        .where('status', '=', 'queued')
        .execute();
      assert.equal(queued.length, 0);
    });

    test('with GOV.UK Notify, the client sends what the Notify API documents and records the notification id', async () => {
      const notify = fakeNotifyApi(() => ({
        status: 201,
        body: { id: '740e5834-3a29-46b4-9a6f-16142fde533a', reference: null, content: {}, uri: '', template: {} },
      }));
      const baseUrl = await notify.start();
      try {
        const id = await queueNotification(database.db, {
          laCode: 'Z99',
          template: 'account-locked',
          recipient: 'carer@example.test',
          params: { minutes: 15 },
        });
        const sender = notifySender({ apiKey: API_KEY, emailTemplateId: TEMPLATE_ID, baseUrl });
        const report = await deliverQueuedNotifications(database.db, sender);
        assert.deepEqual(report, { delivered: 1, failed: 0 });
        assert.equal(notify.received.length, 1);
        const request = notify.received[0]!;
        assert.equal(request.method, 'POST');
        assert.equal(request.url, '/v2/notifications/email');
        assert.match(String(request.headers['content-type']), /application\/json/);
        verifyNotifyJwt(request.headers.authorization);
        assert.equal(request.body.email_address, 'carer@example.test');
        assert.equal(request.body.template_id, TEMPLATE_ID);
        assert.equal(request.body.reference, id);
        const personalisation = request.body.personalisation as Record<string, string>;
        assert.equal(personalisation.subject, 'Someone tried to sign in to your Pathway account');
        assert.match(personalisation.body ?? '', /locked it for 15 minutes/);
        const row = await database.db
          .selectFrom('notifications_outbox')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, 'sent');
        assert.equal(row.provider_reference, '740e5834-3a29-46b4-9a6f-16142fde533a');
        assert.ok(row.sent_at);
      } finally {
        await notify.stop();
      }
    });

    test('a message Notify refuses is marked failed with the reason, and others still go', async () => {
      const notify = fakeNotifyApi((request) =>
        request.body.email_address === 'bad@example.test'
          ? {
              status: 400,
              body: {
                status_code: 400,
                errors: [{ error: 'BadRequestError', message: 'email_address Not a valid email address' }],
              },
            }
          : { status: 201, body: { id: '11111111-2222-4333-8444-555555555555' } },
      );
      const baseUrl = await notify.start();
      try {
        const bad = await queueNotification(database.db, {
          laCode: 'Z99',
          template: 'account-locked',
          recipient: 'bad@example.test',
          params: { minutes: 1 },
        });
        const good = await queueNotification(database.db, {
          laCode: 'Z99',
          template: 'account-locked',
          recipient: 'good@example.test',
          params: { minutes: 1 },
        });
        const report = await deliverQueuedNotifications(
          database.db,
          notifySender({ apiKey: API_KEY, emailTemplateId: TEMPLATE_ID, baseUrl }),
        );
        assert.deepEqual(report, { delivered: 1, failed: 1 });
        const rows = await database.db
          .selectFrom('notifications_outbox')
          .select(['id', 'status', 'failure_reason'])
          .where('id', 'in', [bad, good])
          .execute();
        assert.equal(rows.find((row) => row.id === bad)?.status, 'failed');
        assert.match(rows.find((row) => row.id === bad)?.failure_reason ?? '', /400/);
        assert.equal(rows.find((row) => row.id === good)?.status, 'sent');
      } finally {
        await notify.stop();
      }
    });

    test('administrators can read the outbox, and reading it is audited', async () => {
      const client = await signedInClient(app, 'admin@demo.pathway.test');
      const response = await client.get('/admin/notifications');
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /carer@example.test/);
      assert.match(response.body, /Someone tried to sign in to your Pathway account/);
      const audits = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'view-notifications-outbox')
        .execute();
      assert.equal(audits.length, 1);
    });

    test('nobody else can read the outbox', async () => {
      const client = await signedInClient(app, 'manager@demo.pathway.test');
      assert.equal((await client.get('/admin/notifications')).statusCode, 403);
    });
  });
}
