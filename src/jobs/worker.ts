// The background work Pathway does on a schedule: deliver outbox messages, end idle sessions, the nightly refresh of
// registered Open Referral feeds, and the daily directory round (review reminders to providers, stale entries to
// editors), overdue short-breaks applications to managers, annual-review invitations to families, referrals waiting
// past the front door's working day, and social work assessments not authorised within 45 working days.
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { purgeIdleSessions } from '../features/accounts/service.ts';
import { deliverQueuedNotifications } from '../features/notifications/service.ts';
import { flagStaleServices, sendReviewReminders } from '../features/directory/reminders.ts';
import { refreshRegisteredFeeds } from '../features/directory/registered-feeds.ts';
import { flagOverdueApplications } from '../features/short-breaks/staff.ts';
import { inviteAnnualReviews } from '../features/short-breaks/reviews.ts';
import { flagOverdueReferrals } from '../features/referrals/triage.ts';
import { flagOverdueAssessments } from '../features/pathway/service.ts';
import { notifySender, outboxOnlySender } from '../features/notifications/senders.ts';
import type { ScheduledJob } from './queue.ts';

export function scheduledJobs(config: Config, database: Database): ScheduledJob[] {
  const sender = config.notify ? notifySender(config.notify) : outboxOnlySender;
  return [
    {
      name: 'deliver-notifications',
      cron: '* * * * *',
      handler: async () => {
        await deliverQueuedNotifications(database.db, sender);
      },
    },
    {
      name: 'purge-idle-sessions',
      cron: '17 * * * *',
      handler: async () => {
        await purgeIdleSessions(database.db, config.sessionIdleMinutes);
      },
    },
    {
      name: 'directory-review-round',
      cron: '30 6 * * *',
      handler: async () => {
        await sendReviewReminders(database.db, { baseUrl: config.publicUrl });
        await flagStaleServices(database.db, { baseUrl: config.publicUrl });
      },
    },
    {
      // Every council's registered Open Referral feeds, imported again at night when few people search.
      name: 'directory-feeds-refresh',
      cron: '0 2 * * *',
      handler: async () => {
        await refreshRegisteredFeeds(database.db);
      },
    },
    {
      name: 'short-breaks-overdue-round',
      cron: '0 7 * * 1-5',
      handler: async () => {
        await flagOverdueApplications(database.db, { baseUrl: config.publicUrl });
      },
    },
    {
      name: 'short-breaks-review-round',
      cron: '15 7 * * *',
      handler: async () => {
        await inviteAnnualReviews(database.db, { baseUrl: config.publicUrl });
      },
    },
    {
      name: 'front-door-overdue-round',
      cron: '5 8-18 * * 1-5',
      handler: async () => {
        await flagOverdueReferrals(database.db, { baseUrl: config.publicUrl });
      },
    },
    {
      name: 'assessment-overdue-round',
      cron: '20 7 * * 1-5',
      handler: async () => {
        await flagOverdueAssessments(database.db, { baseUrl: config.publicUrl });
      },
    },
  ];
}
