// Setting up Pathway for a real council from nothing (`npm run setup`, issue 17): the council and its first
// administrator, who gets a one-time link to create a password. Everything else is then done in the browser.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { accountByEmail } from '../accounts/service.ts';
import { createSetPasswordLink, expiryText, type SetPasswordLink } from '../accounts/set-password.ts';
import type { Actor } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import * as queries from './first-council-queries.ts';
import { createCouncil, createUsers, hasCouncil } from './service.ts';

/**
 * The Office for National Statistics' code of an English council that can run children's services or a district:
 * E06 unitary authorities, E07 non-metropolitan districts, E08 metropolitan districts, E09 London boroughs and the
 * City of London, E10 counties; then six digits.
 */
export const ENGLISH_COUNCIL_CODE = /^E(0[6-9]|10)\d{6}$/;

/** A command run by the operator: no person, no request. */
const OPERATOR: Actor = { userId: null, role: 'system', requestId: null };

export type FirstCouncilResult =
  | { outcome: 'created'; link: SetPasswordLink }
  | { outcome: 'already-set-up'; councils: { laCode: string; name: string }[] };

/**
 * Creates the council and its first administrator in one transaction, with a link to create a password that is
 * returned (to be shown once) and queued as an email (sent by the worker through GOV.UK Notify when configured).
 * Refused, changing nothing, when the database already holds a council.
 */
export async function setUpFirstCouncil(
  db: Kysely<Schema>,
  setup: { laCode: string; name: string; adminEmail: string; adminName: string; publicUrl: string },
): Promise<FirstCouncilResult> {
  return db.transaction().execute(async (trx) => {
    await queries.waitForOtherSetUps(trx);
    if (await hasCouncil(trx)) {
      const councils = await queries.allCouncils(trx);
      return {
        outcome: 'already-set-up',
        councils: councils.map((council) => ({ laCode: council.la_code, name: council.name })),
      };
    }
    await createCouncil(trx, { laCode: setup.laCode, name: setup.name }, OPERATOR);
    const ids = await createUsers(
      trx,
      setup.laCode,
      [
        {
          email: setup.adminEmail,
          displayName: setup.adminName,
          roles: ['administrator'],
          teamIds: [],
          passwordHash: null,
        },
      ],
      OPERATOR,
    );
    const userId = ids.get(setup.adminEmail);
    if (!userId) throw new Error('The administrator was not created');
    const link = await createSetPasswordLink(trx, userId, {
      purpose: 'setup',
      publicUrl: setup.publicUrl,
      actor: OPERATOR,
    });
    await queueNotification(trx, {
      laCode: setup.laCode,
      template: 'council-set-up',
      recipient: setup.adminEmail,
      params: { council: setup.name, link: link.url, expires: expiryText(link) },
    });
    return { outcome: 'created', link };
  });
}

/**
 * A fresh link for an administrator who lost theirs or let it expire (`npm run setup -- --new-link`), queued as an
 * email too. Undefined when no active administrator has that email.
 */
export async function newAdministratorLink(
  db: Kysely<Schema>,
  request: { email: string; publicUrl: string },
): Promise<SetPasswordLink | undefined> {
  return db.transaction().execute(async (trx) => {
    const account = await accountByEmail(trx, request.email);
    if (!account?.roles.includes('administrator')) return undefined;
    const council = await queries.councilName(trx, account.laCode);
    const link = await createSetPasswordLink(trx, account.id, {
      purpose: 'reset',
      publicUrl: request.publicUrl,
      actor: OPERATOR,
    });
    await queueNotification(trx, {
      laCode: account.laCode,
      template: 'administrator-new-link',
      recipient: account.email,
      params: { council, link: link.url, expires: expiryText(link) },
    });
    return link;
  });
}
