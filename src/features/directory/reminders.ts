// The daily directory round: providers are reminded before an entry's review-by date, and editors are told
// which entries have gone past it (those are marked "not checked recently" on the public pages too).
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { REVIEW_MONTHS } from '../../domain/local-offer.ts';
import { queueNotification } from '../notifications/service.ts';
import { providerEmails } from './upkeep.ts';
import { notifyRole } from '../accounts/service.ts';

/** Providers hear this many days before an entry is due. */
export const REMINDER_DAYS = 14;

/** When an entry is due: its review-by date, or six months after it was last checked. */
const DUE = sql<string>`coalesce(s.review_by, coalesce(s.assured_date, s.last_modified::date) + ${`${REVIEW_MONTHS} months`}::interval)::date`;

export async function sendReviewReminders(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{
      id: string;
      la_code: string;
      name: string;
      organization_id: string | null;
      due: string;
    }>`
      select s.id, s.la_code, s.name, s.organization_id, to_char(${DUE}, 'YYYY-MM-DD') as due from services s
       where s.status = 'active' and s.review_reminded_at is null
         and ${DUE} <= ${today}::date + ${REMINDER_DAYS}::int
       order by s.la_code, s.organization_id
       for update skip locked`.execute(trx);
    let sent = 0;
    for (const service of rows) {
      for (const recipient of await providerEmails(trx, service.la_code, service.organization_id)) {
        await queueNotification(trx, {
          laCode: service.la_code,
          template: 'directory-review-due',
          recipient,
          params: { service: service.name, due: service.due, link: `${options.baseUrl}/manage/services/${service.id}` },
        });
        sent += 1;
      }
    }
    if (rows.length > 0)
      await trx
        .updateTable('services')
        .set({ review_reminded_at: new Date() })
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();
    return { services: rows.length, messages: sent };
  });
}

/** Each council's editors get one message listing how many entries went stale since the last round. */
export async function flagStaleServices(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ la_code: string; count: number }>`
      with stale as (
        update services s set stale_flagged_at = now()
         where s.status = 'active' and s.stale_flagged_at is null and ${DUE} < ${today}::date
        returning s.la_code)
      select la_code, count(*)::int as count from stale group by la_code`.execute(trx);
    for (const council of rows) {
      await notifyRole(trx, council.la_code, 'directory_editor', {
        template: 'directory-stale-entries',
        params: { count: council.count, link: `${options.baseUrl}/manage/services?show=stale` },
      });
    }
    return rows.reduce((total, council) => total + council.count, 0);
  });
}
