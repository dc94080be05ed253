// Deny by default: every registered route has an access rule, and every protected route refuses people
// who are not signed in or who lack the role.
import { ROLES } from '../src/domain/people.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { NAVIGATION } from '../src/web/navigation.ts';
import { DEMO_USERS } from '../src/demo/council.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, testConfig } from './helpers/app.ts';

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(url: string): string {
  return url.replace(/:\w+/g, SAMPLE_ID).replace(/\*$/, 'sample');
}

describe('route access rules', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await databaseTargets()[0]!.open();
    app = await seededApp(database);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await database.dispose();
  });

  test('the menu offers each person every page in it they may open, and only those; each entry is a real page', async () => {
    const pages = new Set(app.registeredRoutes.filter((route) => route.method === 'GET').map((route) => route.url));
    for (const entry of NAVIGATION) assert.ok(pages.has(entry.href), `${entry.href} is in the menu but is no page`);
    const menuOf = (html: string) =>
      [...html.matchAll(/class="govuk-service-navigation__link" href="([^"]+)"/g)].map((match) => match[1]!);
    const signedOut = menuOf((await app.inject({ method: 'GET', url: '/services' })).body);
    assert.deepEqual(signedOut, ['/services', '/sign-in']);
    for (const person of DEMO_USERS) {
      const client = await signedInClient(app, person.email);
      const offered = menuOf((await client.get('/account')).body);
      for (const entry of NAVIGATION.filter((candidate) => !candidate.signedOutOnly)) {
        const status = (await client.get(entry.href)).statusCode;
        const mayOpen = status === 200 || status === 303;
        assert.equal(offered.includes(entry.href), mayOpen, `${person.email}: ${entry.href} answered ${status}`);
      }
    }
  });

  test('every registered route declares who may use it', () => {
    assert.ok(app.registeredRoutes.length > 10);
    const unguarded = app.registeredRoutes.filter((route) => route.access === undefined);
    assert.deepEqual(unguarded, []);
  });

  test('a route without an access rule stops the app from starting', async () => {
    const careless = await buildApp(testConfig(), { database });
    careless.get('/forgot-the-rule', async () => 'oops');
    await assert.rejects(async () => careless.ready(), /Routes without an access rule: GET \/forgot-the-rule/);
  });

  test('every route that is not public refuses someone who is not signed in', async () => {
    const protectedRoutes = app.registeredRoutes.filter(
      (route) => route.access !== 'public' && route.method !== 'HEAD',
    );
    assert.ok(protectedRoutes.length > 0);
    for (const route of protectedRoutes) {
      const response = await app.inject({ method: route.method as 'GET', url: concreteUrl(route.url) });
      assert.ok(
        [303, 401].includes(response.statusCode),
        `${route.method} ${route.url} answered ${response.statusCode} to someone not signed in`,
      );
      if (response.statusCode === 303) assert.match(String(response.headers.location), /^\/sign-in/);
    }
  });

  test('every role-restricted route refuses each demo user whose roles are not on its list', async () => {
    const restricted = app.registeredRoutes.filter((route) => Array.isArray(route.access) && route.method === 'GET');
    assert.ok(restricted.length > 0);
    for (const person of DEMO_USERS) {
      const client = await signedInClient(app, person.email);
      for (const route of restricted) {
        const allowed = (route.access as readonly string[]).some((role) => person.roles.includes(role as never));
        if (allowed) continue;
        const response = await client.get(concreteUrl(route.url));
        assert.equal(response.statusCode, 403, `${person.email} reached ${route.url}`);
      }
    }
  });

  test('the demo council has a user for every role', () => {
    for (const role of ROLES) {
      assert.ok(
        DEMO_USERS.some((user) => user.roles.includes(role)),
        `no demo user is a ${role}`,
      );
    }
  });
});
