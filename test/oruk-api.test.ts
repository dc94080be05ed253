// The Open Referral UK 3.0 API: every response validates against the standard's own schemas (read with ajv
// from shared/reference/oruk/schema-v3), paging works, filters work, and bad parameters get a 400 naming them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { sql } from 'kysely';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { importFeed } from '../src/features/directory/import.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp } from './helpers/app.ts';
import { EVALUATION_SERVICES, ORUK_REFERENCE } from './helpers/reference-data.ts';

const SCHEMA_BASE = 'https://openreferraluk.org/specifications/3.0/schema/';

function schemaValidators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const folder = join(ORUK_REFERENCE, 'schema-v3');
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
    if (file.endsWith('_list.json') || file.endsWith('_package.json')) continue;
    ajv.addSchema(schema, `${SCHEMA_BASE}${file}`);
  }
  const compiled = (name: string): ValidateFunction =>
    ajv.getSchema(`${SCHEMA_BASE}${name}.json`) ?? assert.fail(`no schema ${name}`);
  const list = (name: string): ValidateFunction =>
    ajv.compile(JSON.parse(readFileSync(join(folder, `${name}_list.json`), 'utf8')) as object);
  return {
    service: compiled('service'),
    organization: compiled('organization'),
    taxonomy: compiled('taxonomy'),
    taxonomyTerm: compiled('taxonomy_term'),
    serviceAtLocation: compiled('service_at_location'),
    apiDetails: compiled('api_details'),
    serviceList: list('service'),
    organizationList: list('organization'),
    taxonomyList: list('taxonomy'),
    taxonomyTermList: list('taxonomy_term'),
    serviceAtLocationList: list('service_at_location'),
  };
}

function assertValid(validate: ValidateFunction, value: unknown, what: string) {
  const valid = validate(value);
  assert.ok(valid, `${what} does not validate: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
}

for (const target of databaseTargets()) {
  describe(`Open Referral UK API on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    const schemas = schemaValidators();

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await importFeed(database.db, 'Z99', EVALUATION_SERVICES, 'api-test');
      await importFeed(database.db, 'Z99', join(ORUK_REFERENCE, 'data', 'buckinghamshire-outpost-api-2023'));
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const get = async (url: string) => {
      const response = await app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>(), headers: response.headers };
    };

    test('the root says which version and profile, and every response allows any origin', async () => {
      const { status, body, headers } = await get('/api/oruk/');
      assert.equal(status, 200);
      assert.equal(body.version, 'HSDS-UK-3.0');
      assertValid(schemas.apiDetails, body, 'api details');
      // The validator is not a formality: a service without a name fails it.
      assert.equal(schemas.service({ id: '00000000-0000-4000-8000-000000000000', status: 'active' }), false);
      assert.equal(headers['access-control-allow-origin'], '*');
    });

    test('/services pages through every service with the paging envelope, and each service validates', async () => {
      const first = await get('/api/oruk/services?per_page=100');
      assert.equal(first.status, 200);
      assertValid(schemas.serviceList, first.body, 'service list');
      assert.equal(first.body.page_number, 1);
      assert.equal(first.body.size, 100);
      assert.equal(first.body.first_page, true);
      const total = Number(first.body.total_items);
      assert.ok(total >= 354, `total ${total}`);
      assert.equal(first.body.total_pages, Math.ceil(total / 100));
      for (const service of first.body.contents as unknown[]) assertValid(schemas.service, service, 'service');
      const last = await get(`/api/oruk/services?per_page=100&page=${String(first.body.total_pages)}`);
      assert.equal(last.body.last_page, true);
      for (const service of last.body.contents as unknown[]) assertValid(schemas.service, service, 'service');
      const beyond = await get('/api/oruk/services?page=999');
      assert.equal(beyond.body.empty, true);
      assert.equal(beyond.body.total_items, total);
    });

    test('a list holds each service with its organisation, as the standard says; full=true holds whole services', async () => {
      const list = await get('/api/oruk/services?search=autism&per_page=10');
      const full = await get('/api/oruk/services?search=autism&per_page=10&full=true');
      assertValid(schemas.serviceList, list.body, 'service list');
      assertValid(schemas.serviceList, full.body, 'full service list');
      const listed = list.body.contents as Record<string, unknown>[];
      const whole = full.body.contents as Record<string, unknown>[];
      assert.deepEqual(
        listed.map((service) => service.id),
        whole.map((service) => service.id),
      );
      assert.ok(
        listed.some((service) => service.organization),
        'services come with their organisation',
      );
      for (const service of listed) {
        assert.deepEqual(
          Object.keys(service).filter((key) => Array.isArray(service[key])),
          [],
          `${String(service.name)} has no lists of linked records`,
        );
      }
      for (const service of whole) {
        assertValid(schemas.service, service, 'service');
        const one = await get(`/api/oruk/services/${String(service.id)}`);
        assert.deepEqual(service, one.body);
      }
      assert.ok(
        whole.some((service) => (service.service_at_locations as unknown[] | undefined)?.length),
        'whole services have their places',
      );
    });

    test("another Pathway imports this API's services whole from its URL, places and categories included", async () => {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const neighbour = await target.open();
      try {
        await seedDemoCouncil(neighbour.db, 'test');
        const report = await importFeed(neighbour.db, 'Z99', `${address}/api/oruk/services?per_page=100`, 'neighbour');
        const listed = await get('/api/oruk/services?per_page=1');
        assert.equal(report.accepted, listed.body.total_items);
        assert.equal(report.rejected.length, 0);
        /** How many of a kind of link the council's services have. */
        const linked = async (db: TestDatabase['db'], table: 'service_at_locations' | 'service_attributes') => {
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from ${sql.table(table)} link
              join services s on s.id = link.service_id where s.la_code = 'Z99'`.execute(db);
          return rows[0]!.n;
        };
        const links = async (db: TestDatabase['db']) => ({
          places: await linked(db, 'service_at_locations'),
          categories: await linked(db, 'service_attributes'),
        });
        const here = await links(database.db);
        assert.ok(here.places > 0 && here.categories > 0);
        assert.deepEqual(await links(neighbour.db), here);
      } finally {
        await neighbour.dispose();
      }
    });

    test('per_page is capped at 100', async () => {
      const { body } = await get('/api/oruk/services?per_page=5000');
      assert.equal(body.size, 100);
    });

    test('/services/{id} returns the whole service, and an unknown id is a 404', async () => {
      const list = await get('/api/oruk/services?per_page=1');
      const id = (list.body.contents as { id: string }[])[0]!.id;
      const one = await get(`/api/oruk/services/${id}`);
      assert.equal(one.status, 200);
      assertValid(schemas.service, one.body, 'service');
      assert.equal((await get('/api/oruk/services/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    test('search ranks by the same relevance as the public page, and filters narrow the results', async () => {
      const { body } = await get('/api/oruk/services?search=speech%20therapy&per_page=5');
      const names = (body.contents as { name: string }[]).map((service) => service.name.toLowerCase());
      assert.ok(
        names.some((name) => /speech|language|salt|communication/.test(name)),
        names.join(', '),
      );
      const age = await get('/api/oruk/services?age=3&per_page=100');
      for (const service of age.body.contents as { minimum_age?: number; maximum_age?: number }[]) {
        assert.ok((service.minimum_age ?? 0) <= 3 && (service.maximum_age ?? 200) >= 3);
      }
      const everything = await get('/api/oruk/services?per_page=1');
      const near = await get('/api/oruk/services?postcode=BD21&proximity=3000&per_page=100&full=true');
      assert.ok(Number(near.body.total_items) > 0);
      assert.ok(Number(near.body.total_items) < Number(everything.body.total_items));
      for (const service of near.body.contents as {
        service_at_locations: { location: { addresses?: { postal_code: string }[] } }[];
      }[]) {
        const postcodes = service.service_at_locations
          .flatMap((link) => link.location.addresses ?? [])
          .map((address) => address.postal_code);
        assert.ok(
          postcodes.some((postcode) => postcode.startsWith('BD')),
          postcodes.join(', '),
        );
      }
    });

    test('organisations, taxonomies, terms and service-at-locations list and validate', async () => {
      for (const [path, listSchema, itemSchema] of [
        ['organizations', schemas.organizationList, schemas.organization],
        ['taxonomies', schemas.taxonomyList, schemas.taxonomy],
        ['taxonomy_terms', schemas.taxonomyTermList, schemas.taxonomyTerm],
        ['service_at_locations', schemas.serviceAtLocationList, schemas.serviceAtLocation],
      ] as const) {
        const list = await get(`/api/oruk/${path}?per_page=20`);
        assert.equal(list.status, 200, path);
        assertValid(listSchema, list.body, `${path} list`);
        const first = (list.body.contents as { id: string }[])[0];
        assert.ok(first, `${path} has items`);
        const one = await get(`/api/oruk/${path}/${first.id}`);
        assert.equal(one.status, 200);
        assertValid(itemSchema, one.body, path);
      }
      const taxonomy = (await get('/api/oruk/taxonomies')).body.contents as { id: string }[];
      const terms = await get(`/api/oruk/taxonomy_terms?taxonomy_id=${taxonomy[0]!.id}&per_page=100`);
      for (const term of terms.body.contents as { taxonomy_id: string }[])
        assert.equal(term.taxonomy_id, taxonomy[0]!.id);
      const byTerm = await get(
        `/api/oruk/services?taxonomy_term_id=${(terms.body.contents as { id: string }[])[0]!.id}`,
      );
      assert.ok(Number(byTerm.body.total_items) > 0);
    });

    test('a malformed parameter is a 400 that names it', async () => {
      for (const [query, parameter] of [
        ['page=0', 'page'],
        ['page=abc', 'page'],
        ['per_page=-1', 'per_page'],
        ['age=old', 'age'],
        ['taxonomy_term_id=not-a-uuid', 'taxonomy_term_id'],
        ['organization_id=1', 'organization_id'],
        ['modified_after=yesterday', 'modified_after'],
        ['postcode=NOT A POSTCODE', 'postcode'],
        ['proximity=500', 'proximity'],
        ['page=1&page=2', 'page'],
        ['full=yes', 'full'],
      ]) {
        const { status, body } = await get(`/api/oruk/services?${query}`);
        assert.equal(status, 400, query);
        assert.equal((body.error as { parameter: string }).parameter, parameter, query);
      }
    });

    test('HTML and SQL in search text are just words', async () => {
      for (const search of ["'; drop table services; --", '<script>alert(1)</script>', "autism' or '1'='1", '%_\\']) {
        const { status } = await get(`/api/oruk/services?search=${encodeURIComponent(search)}`);
        assert.equal(status, 200, search);
      }
      assert.equal((await get('/api/oruk/services')).status, 200);
    });
  });
}
