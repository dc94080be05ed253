// Configuration is checked at start, with a clear message for each mistake.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('with nothing set, Pathway runs embedded on port 3000 with the demo council', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.demoData, true);
  assert.equal(config.inProcessWorker, true);
  assert.match(config.dataDir, /data$/);
});

test('DATABASE_URL switches to a server, whose worker runs as its own process', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://db.internal/pathway' });
  assert.equal(config.databaseUrl, 'postgres://db.internal/pathway');
  assert.equal(config.inProcessWorker, false);
});

test('PORT and DEMO_DATA are read and checked', () => {
  assert.equal(loadConfig({ PORT: '8080', DEMO_DATA: 'false' }).port, 8080);
  assert.equal(loadConfig({ DEMO_DATA: 'false' }).demoData, false);
  assert.throws(() => loadConfig({ PORT: 'eighty' }), /PORT must be a whole number/);
  assert.throws(() => loadConfig({ DEMO_DATA: 'maybe' }), /DEMO_DATA must be true or false/);
});

test('production refuses to start without a real session secret', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), ConfigError);
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' }), /at least 32/);
  const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
  assert.equal(config.environment, 'production');
});

test('half an OIDC or Notify configuration is an error, not a silent fallback', () => {
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'https://login.example.gov.uk' }), /OIDC_CLIENT_ID/);
  assert.throws(() => loadConfig({ NOTIFY_API_KEY: 'key' }), /NOTIFY_EMAIL_TEMPLATE_ID/);
  const oidc = loadConfig({
    OIDC_ISSUER: 'https://login.example.gov.uk',
    OIDC_CLIENT_ID: 'pathway',
    OIDC_CLIENT_SECRET: 's',
  }).oidc;
  assert.equal(oidc?.allowInsecureIssuer, false);
  assert.equal(oidc?.redirectUri, 'http://localhost:3000/sign-in/oidc/callback');
});

test('an unknown NODE_ENV is refused', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'staging' }), /NODE_ENV must be/);
});

test('WEB_PROCESSES starts several web processes, which only a PostgreSQL server can serve', () => {
  assert.equal(loadConfig({}).webProcesses, 1);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://db.internal/pathway', WEB_PROCESSES: '4' }).webProcesses, 4);
  assert.throws(() => loadConfig({ WEB_PROCESSES: '2' }), /WEB_PROCESSES above 1 needs DATABASE_URL/);
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://db/p', WEB_PROCESSES: '0' }), /WEB_PROCESSES/);
});
