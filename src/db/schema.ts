// Table types for Kysely. Keep in step with migrations/*.sql.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { HouseholdRelationship } from '../domain/pathway/household.ts';
import type { Role } from '../domain/people.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A calendar date (PostgreSQL `date`), read as YYYY-MM-DD text. */
type CalendarDate = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export interface CouncilsTable {
  la_code: string;
  name: string;
  created_at: CreatedAt;
  /** How families reach the front door (migration 0025). */
  front_door_phone: Maybe<string>;
  front_door_email: Maybe<string>;
}

export interface LocalitiesTable {
  id: Generated<string>;
  la_code: string;
  name: string;
  postcode_districts: Generated<string[]>;
}

export interface TeamsTable {
  id: Generated<string>;
  la_code: string;
  name: string;
  serves_tier: ColumnType<EpisodeTier | null, EpisodeTier | null | undefined, EpisodeTier | null>;
}

export interface UsersTable {
  id: Generated<string>;
  la_code: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  oidc_subject: string | null;
  /** Signs in only through the council's identity provider: no password, no link to set one. */
  identity_provider_only: Generated<boolean>;
  failed_sign_in_attempts: Generated<number>;
  locked_until: Timestamp | null;
  preferred_language: Generated<string>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  version: Generated<number>;
}

/** Council policy by the day it takes effect; rows are only ever added (migration 0018). */
export interface CouncilSettingsTable {
  id: Generated<string>;
  la_code: string;
  name: string;
  value: number;
  effective_from: CalendarDate;
  reason: string;
  set_by: string | null;
  set_at: CreatedAt;
}

export interface UserRolesTable {
  user_id: string;
  la_code: string;
  role: Role;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  la_code: string;
}

/** Wrong passwords per account and address (migration 0020); the email only as a hash. */
export interface SignInFailuresTable {
  email_hash: string;
  address: string;
  la_code: string | null;
  failed_attempts: number;
  locked_until: Timestamp | null;
  last_failed_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  la_code: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
}

export type SetPasswordPurpose = 'setup' | 'invitation' | 'registration' | 'reset';

export interface SetPasswordLinksTable {
  token_hash: string;
  la_code: string;
  user_id: string;
  purpose: SetPasswordPurpose;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface FamiliesTable {
  id: Generated<string>;
  la_code: string;
  family_name: string;
  locality_id: string | null;
  created_at: CreatedAt;
  postcode: ColumnType<string | null, string | null | undefined, string | null>;
  address: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FamilyCarersTable {
  family_id: string;
  user_id: string;
  la_code: string;
  relationship: string;
}

export interface ChildrenTable {
  id: Generated<string>;
  la_code: string;
  family_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate;
  nhs_number: ColumnType<string | null, string | null | undefined, string | null>;
  upn: ColumnType<string | null, string | null | undefined, string | null>;
  disability_codes: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface AuditEventsTable {
  id: ColumnType<string, never, never>;
  la_code: string | null;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  subject_child_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
}

export type OutboxStatus = 'recorded' | 'queued' | 'sending' | 'sent' | 'failed';

export interface NotificationsOutboxTable {
  id: Generated<string>;
  la_code: string;
  template: string;
  channel: Generated<'email'>;
  recipient: string;
  subject: string;
  body: string;
  status: OutboxStatus;
  provider_reference: string | null;
  failure_reason: string | null;
  claimed_at: Timestamp | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

type JsonList = ColumnType<Record<string, unknown>[], string, string>;

export interface OrganizationsTable {
  id: string;
  la_code: string;
  name: string;
  description: Generated<string>;
  email: string | null;
  website: string | null;
  logo: string | null;
  uri: string | null;
  last_modified: Generated<Date>;
}

export interface LocationsTable {
  id: string;
  la_code: string;
  location_type: Generated<string>;
  name: string | null;
  description: string | null;
  latitude: number | null;
  longitude: number | null;
  postcode: string | null;
  addresses: JsonList;
  accessibility: JsonList;
  locality_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';

export interface ServicesTable {
  id: string;
  la_code: string;
  organization_id: string | null;
  name: string;
  description: Generated<string>;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  fees: string | null;
  accreditations: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  assured_date: CalendarDate | null;
  assurer_email: string | null;
  alert: string | null;
  last_modified: Timestamp;
  schedules: JsonList;
  service_areas: JsonList;
  languages: JsonList;
  funding: JsonList;
  cost_options: JsonList;
  contacts: JsonList;
  access_routes: Generated<string[]>;
  send_needs: Generated<string[]>;
  review_by: ColumnType<string | null, string | null | undefined, string | null>;
  is_free: boolean | null;
  open_days: Generated<string[]>;
  search_document: ColumnType<string, string, string>;
  source: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  review_reminded_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  stale_flagged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ServiceAtLocationsTable {
  id: string;
  la_code: string;
  service_id: string;
  location_id: string;
}

export interface TaxonomiesTable {
  id: string;
  la_code: string;
  name: string;
  description: Generated<string>;
  uri: string | null;
  version: string | null;
}

export interface TaxonomyTermsTable {
  id: string;
  la_code: string;
  taxonomy_id: string | null;
  name: string;
  description: Generated<string>;
  code: string | null;
  term_uri: string | null;
  parent_id: string | null;
}

export interface ServiceAttributesTable {
  id: string;
  la_code: string;
  service_id: string;
  taxonomy_term_id: string;
}

export interface GlossaryTermsTable {
  id: Generated<string>;
  la_code: string;
  term: string;
  meaning: string;
  alternatives: Generated<string[]>;
  explain: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ServiceFeedbackTable {
  id: Generated<string>;
  la_code: string;
  service_id: string;
  message: string;
  reply_email: string | null;
  status: Generated<FeedbackStatus>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  response: ColumnType<string | null, string | null | undefined, string | null>;
  updated_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export type FeedbackStatus = 'new' | 'in_progress' | 'resolved' | 'dismissed';

export interface OrganizationMembersTable {
  organization_id: string;
  user_id: string;
  la_code: string;
}

export interface ServiceVersionsTable {
  id: Generated<string>;
  la_code: string;
  service_id: string;
  version: number;
  details: ColumnType<Record<string, unknown>, string, string>;
  changed_by: string | null;
  summary: string;
  created_at: CreatedAt;
}

export type ChangeStatus = 'pending' | 'approved' | 'rejected';

export interface ServiceChangesTable {
  id: Generated<string>;
  la_code: string;
  service_id: string;
  base_version: number;
  details: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<ChangeStatus>;
  proposed_by: string;
  proposed_at: ColumnType<Date, Date | undefined, Date>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: CreatedAt;
}

export interface ScoringModelsTable {
  id: Generated<string>;
  la_code: string;
  version: number;
  status: 'published' | 'retired';
  model: ColumnType<Record<string, unknown>, string, string>;
  published_by: string | null;
  published_at: Generated<Date>;
}

export interface ScoringModelDraftsTable {
  la_code: string;
  model: ColumnType<Record<string, unknown>, string, string>;
  updated_by: string;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  version: Generated<number>;
}

export type ApplicationStatus =
  'draft' | 'submitted' | 'more_information_requested' | 'verified' | 'awaiting_panel' | 'decided' | 'withdrawn';

type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ShortBreakApplicationsTable {
  id: Generated<string>;
  la_code: string;
  child_id: string;
  status: Generated<ApplicationStatus>;
  eligibility: ColumnType<Record<string, string>, string | undefined, string>;
  answers: ColumnType<Record<string, string>, string | undefined, string>;
  child_age: number | null;
  model_version: number | null;
  total: number | null;
  domain_scores: ColumnType<Record<string, number> | null, string | null, string | null>;
  rule_id: string | null;
  outcome: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  submitted_at: Date | null;
  reference: string | null;
  verification: ColumnType<Record<string, boolean> | null, string | null | undefined, string | null>;
  verified_by: ColumnType<string | null, string | null | undefined, string | null>;
  verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decision: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  override_reason: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  overdue_flagged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  about: ColumnType<Record<string, string>, string | undefined, string>;
  notes: ColumnType<Record<string, string>, string | undefined, string>;
  review_of: Maybe<string>;
  review_invited_at: Maybe<Date>;
  panel_reason: Maybe<string>;
  panel_changed: Maybe<boolean>;
  panel_decided_by: Maybe<string>;
  panel_decided_at: Maybe<Date>;
  created_at: CreatedAt;
  version: Generated<number>;
}

export type EvidenceMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

export interface ShortBreakEvidenceTable {
  id: Generated<string>;
  la_code: string;
  application_id: string;
  file_name: string;
  media_type: EvidenceMediaType;
  size_bytes: number;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: CreatedAt;
}

export interface ShortBreakInformationRequestsTable {
  id: Generated<string>;
  la_code: string;
  application_id: string;
  question: string;
  asked_by: string;
  asked_at: CreatedAt;
  answer: Maybe<string>;
  answered_by: Maybe<string>;
  answered_at: Maybe<Date>;
}

export type ReferralOutcome = 'no_further_action' | 'targeted' | 'specialist';

export interface ReferralsTable {
  id: Generated<string>;
  la_code: string;
  child_id: Maybe<string>;
  kind: 'social_work_assessment' | 'professional' | 'family';
  source_code: string;
  reason: Maybe<string>;
  requested_by: string;
  short_break_application_id: Maybe<string>;
  received_at: ColumnType<Date, Date | string | undefined, Date>;
  status: Generated<'draft' | 'new' | 'decided'>;
  reference: Maybe<string>;
  details: ColumnType<Record<string, string>, string | undefined, string>;
  primary_need_code: Maybe<string>;
  safeguarding_concern: Generated<boolean>;
  outcome: Maybe<ReferralOutcome>;
  outcome_reason: Maybe<string>;
  signposted_service_ids: ColumnType<string[], string[] | undefined, string[]>;
  decided_by: Maybe<string>;
  decided_at: Maybe<Date>;
  overdue_flagged_at: Maybe<Date>;
  version: Generated<number>;
  decision_effect: Maybe<ReferralDecisionEffect>;
  episode_id: Maybe<string>;
  worry_closed_at: Maybe<Date>;
  worry_closed_by: Maybe<string>;
  worry_closed_reason: Maybe<string>;
}

/** What a front-door decision did to the child's work (migration 0016). */
export type ReferralDecisionEffect = 'opened' | 'stepped_up' | 'passed_to_case_holder';

export type EpisodeTier = 'targeted' | 'specialist';

export interface EpisodesTable {
  id: Generated<string>;
  la_code: string;
  child_id: string;
  tier: EpisodeTier;
  team_id: string;
  worker_id: Maybe<string>;
  started_at: ColumnType<Date, Date | undefined, Date>;
  start_reason: string;
  referral_id: Maybe<string>;
  ended_at: Maybe<Date>;
  end_reason: Maybe<string>;
  closure_reason_code: Maybe<string>;
  assessment_authorised_at: Maybe<Date>;
  assessment_authorised_by: Maybe<string>;
  assessment_overdue_flagged_at: Maybe<Date>;
  assessment_completed_at: Maybe<Date>;
  assessment_factors: ColumnType<string[], string[] | undefined, string[]>;
  version: Generated<number>;
}

export interface TimelineEventsTable {
  id: Generated<string>;
  la_code: string;
  child_id: string;
  occurred_at: ColumnType<Date, Date | undefined, Date>;
  kind: string;
  summary: string;
  actor_user_id: Maybe<string>;
  referral_id: Maybe<string>;
}

/** A worker's proposal to step a child down, waiting for a team manager's agreement. */
export interface StepDownProposalsTable {
  id: Generated<string>;
  la_code: string;
  child_id: string;
  episode_id: string;
  to_tier: 'universal' | 'targeted';
  reason: string;
  closure_reason_code: Maybe<string>;
  proposed_by: string;
  proposed_at: CreatedAt;
  status: Generated<'proposed' | 'agreed' | 'refused'>;
  decided_by: Maybe<string>;
  decided_at: Maybe<Date>;
  decision_reason: Maybe<string>;
}

/** People in a child's life who have no account, recorded by staff. */
export interface HouseholdMembersTable {
  id: Generated<string>;
  la_code: string;
  family_id: string;
  name: string;
  relationship: HouseholdRelationship;
  date_of_birth: CalendarDate | null;
  parental_responsibility: boolean;
  lives_with_child: boolean;
  added_by: string | null;
  added_at: CreatedAt;
}

export type ChildLinkRequestStatus = 'waiting' | 'linked' | 'created' | 'declined';

/** A family's request to add their child to their account, decided by the front door (migration 0024). */
export interface ChildLinkRequestsTable {
  id: Generated<string>;
  la_code: string;
  requested_by: string;
  requested_at: CreatedAt;
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate;
  postcode: Maybe<string>;
  nhs_number: Maybe<string>;
  relationship: string;
  status: Generated<ChildLinkRequestStatus>;
  child_id: Maybe<string>;
  decided_by: Maybe<string>;
  decided_at: Maybe<Date>;
  decline_reason: Maybe<string>;
  version: Generated<number>;
}

/** An Open Referral feed a council refreshes every night, with its last attempt's result (migration 0022). */
export interface RegisteredFeedsTable {
  id: Generated<string>;
  la_code: string;
  name: string;
  url: string;
  added_by: string | null;
  added_at: CreatedAt;
  last_refreshed_at: Maybe<Date>;
  last_accepted: Maybe<number>;
  last_rejected: Maybe<number>;
  /** The last attempt's rejected records: reference, where in the feed, reasons. */
  last_rejected_records: ColumnType<
    { reference: string; origin: string; reasons: string[] }[],
    string | undefined,
    string
  >;
  /** Why the last attempt could not read the feed (a FeedProblem code), or null when it did. */
  last_problem: Maybe<string>;
  last_problem_detail: Maybe<string>;
}

export interface Schema {
  councils: CouncilsTable;
  localities: LocalitiesTable;
  teams: TeamsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  council_settings: CouncilSettingsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  set_password_links: SetPasswordLinksTable;
  families: FamiliesTable;
  family_carers: FamilyCarersTable;
  child_link_requests: ChildLinkRequestsTable;
  children: ChildrenTable;
  audit_events: AuditEventsTable;
  notifications_outbox: NotificationsOutboxTable;
  schema_migrations: SchemaMigrationsTable;
  organizations: OrganizationsTable;
  locations: LocationsTable;
  services: ServicesTable;
  service_at_locations: ServiceAtLocationsTable;
  taxonomies: TaxonomiesTable;
  taxonomy_terms: TaxonomyTermsTable;
  service_attributes: ServiceAttributesTable;
  glossary_terms: GlossaryTermsTable;
  service_feedback: ServiceFeedbackTable;
  organization_members: OrganizationMembersTable;
  service_versions: ServiceVersionsTable;
  service_changes: ServiceChangesTable;
  scoring_models: ScoringModelsTable;
  scoring_model_drafts: ScoringModelDraftsTable;
  short_break_applications: ShortBreakApplicationsTable;
  short_break_evidence: ShortBreakEvidenceTable;
  short_break_information_requests: ShortBreakInformationRequestsTable;
  referrals: ReferralsTable;
  episodes: EpisodesTable;
  timeline_events: TimelineEventsTable;
  household_members: HouseholdMembersTable;
  step_down_proposals: StepDownProposalsTable;
  registered_feeds: RegisteredFeedsTable;
}

export type User = Selectable<UsersTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
