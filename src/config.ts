// The one place that reads the environment. Checked at start so a bad setting fails fast with a clear message.
import { resolve } from 'node:path';

export type RuntimeEnvironment = 'development' | 'test' | 'production';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Label on the sign-in button, e.g. "Sign in with your council account". */
  buttonLabel?: string;
  /** Only for local test providers served over http. */
  allowInsecureIssuer: boolean;
}

export interface NotifyConfig {
  apiKey: string;
  /** A GOV.UK Notify email template whose subject is ((subject)) and body is ((body)). */
  emailTemplateId: string;
  baseUrl?: string;
}

export interface Config {
  environment: RuntimeEnvironment;
  host: string;
  port: number;
  /** PostgreSQL server URL; when absent Pathway runs on embedded PGlite under dataDir. */
  databaseUrl?: string;
  /** Prepare each query once per database connection (DATABASE_PREPARED_STATEMENTS, default true). */
  databasePreparedStatements: boolean;
  dataDir: string;
  demoData: boolean;
  /** Signs cookies. Secret: never logged. */
  sessionSecret: string;
  sessionIdleMinutes: number;
  signIn: { maxFailedAttempts: number; lockoutMinutes: number };
  logLevel: string;
  trustProxy: boolean;
  oidc?: OidcConfig;
  notify?: NotifyConfig;
  /** The council whose directory the public pages and the Open Referral API show; the only council when unset. */
  councilCode?: string;
  /**
   * Whether serve, worker and the other commands bring the database's tables (and pg-boss's) up to date at start
   * (MIGRATE, default true). False when Pathway connects as a role that does not own the tables: the owner runs
   * `npm run migrate` first, and a start finding migrations missing stops with a message saying so.
   */
  migrate: boolean;
  /** Runs the job worker inside the web process (embedded mode default). */
  inProcessWorker: boolean;
  /** How many web processes `serve` starts on this machine, sharing one port; more than one needs PostgreSQL. */
  webProcesses: number;
  /** Requests per minute one address may make to the open Open Referral API. */
  apiRateLimitPerMinute: number;
  /** Where people reach Pathway, for links in emails (no trailing slash). */
  publicUrl: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const DEVELOPMENT_SESSION_SECRET = 'development-only-secret-change-me-in-production-0000';

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${env[name]}"`);
}

function environmentOf(env: Env): RuntimeEnvironment {
  const raw = env.NODE_ENV ?? 'development';
  if (raw === 'development' || raw === 'test' || raw === 'production') return raw;
  throw new ConfigError(`NODE_ENV must be development, test or production, not "${raw}"`);
}

function oidcOf(env: Env, port: number): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER;
  if (!issuer) return undefined;
  const clientId = env.OIDC_CLIENT_ID;
  const clientSecret = env.OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new ConfigError('OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too');
  }
  const config: OidcConfig = {
    issuer,
    clientId,
    clientSecret,
    redirectUri: env.OIDC_REDIRECT_URI ?? `http://localhost:${port}/sign-in/oidc/callback`,
    allowInsecureIssuer: issuer.startsWith('http://'),
  };
  if (env.OIDC_BUTTON_LABEL) config.buttonLabel = env.OIDC_BUTTON_LABEL;
  return config;
}

function notifyOf(env: Env): NotifyConfig | undefined {
  const apiKey = env.NOTIFY_API_KEY;
  if (!apiKey) return undefined;
  const emailTemplateId = env.NOTIFY_EMAIL_TEMPLATE_ID;
  if (!emailTemplateId) {
    throw new ConfigError('NOTIFY_API_KEY is set, so NOTIFY_EMAIL_TEMPLATE_ID must be set too');
  }
  const config: NotifyConfig = { apiKey, emailTemplateId };
  if (env.NOTIFY_BASE_URL) config.baseUrl = env.NOTIFY_BASE_URL;
  return config;
}

function publicUrlOf(env: Env, port: number): string {
  const raw = env.PUBLIC_URL ?? `http://localhost:${port}`;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(raw)) {
    throw new ConfigError(`PUBLIC_URL must be a web address like https://pathway.example.gov.uk, not "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): Config {
  const environment = environmentOf(env);
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const sessionSecret = env.SESSION_SECRET ?? (environment === 'production' ? undefined : DEVELOPMENT_SESSION_SECRET);
  if (!sessionSecret || sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be set to at least 32 random characters in production');
  }
  if (environment === 'production' && sessionSecret === DEVELOPMENT_SESSION_SECRET) {
    throw new ConfigError('SESSION_SECRET must not be the development default in production');
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  const config: Config = {
    environment,
    host: env.HOST ?? '0.0.0.0',
    port,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    databasePreparedStatements: boolean(env, 'DATABASE_PREPARED_STATEMENTS', true),
    demoData: boolean(env, 'DEMO_DATA', true),
    sessionSecret,
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    signIn: {
      maxFailedAttempts: integer(env, 'SIGN_IN_MAX_ATTEMPTS', 5, 1, 100),
      lockoutMinutes: integer(env, 'SIGN_IN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
    },
    logLevel: env.LOG_LEVEL ?? (environment === 'test' ? 'silent' : 'info'),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    migrate: boolean(env, 'MIGRATE', true),
    inProcessWorker: boolean(env, 'IN_PROCESS_WORKER', databaseUrl === undefined),
    webProcesses: integer(env, 'WEB_PROCESSES', 1, 1, 64),
    apiRateLimitPerMinute: integer(env, 'API_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    publicUrl: publicUrlOf(env, port),
  };
  if (databaseUrl) config.databaseUrl = databaseUrl;
  if (config.webProcesses > 1 && !databaseUrl) {
    throw new ConfigError('WEB_PROCESSES above 1 needs DATABASE_URL: the embedded database belongs to one process');
  }
  if (env.COUNCIL_CODE) config.councilCode = env.COUNCIL_CODE;
  const oidc = oidcOf(env, port);
  if (oidc) config.oidc = oidc;
  const notify = notifyOf(env);
  if (notify) config.notify = notify;
  return config;
}
