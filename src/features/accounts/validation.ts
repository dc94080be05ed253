// Checks the sign-in form, returning every problem at once for the GOV.UK error summary.
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';

export interface SignInForm {
  email: string;
  password: string;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LENGTH = 320;

/** The form as its route's schema lets it through: text fields, any of them missing. */
export function readSignInForm(body: { email?: string; password?: string }): SignInForm {
  return { email: body.email?.trim() ?? '', password: body.password ?? '' };
}

/** An email address as a person types it into any account form: given, and shaped like one. */
export function validateEmail(email: string, t: Translate): FieldError[] {
  if (email === '') return [{ field: 'email', text: t('signIn.errors.emailMissing') }];
  if (email.length > MAX_LENGTH || !EMAIL_SHAPE.test(email))
    return [{ field: 'email', text: t('signIn.errors.emailFormat') }];
  return [];
}

export function validateSignInForm(form: SignInForm, t: Translate): FieldError[] {
  const errors = validateEmail(form.email, t);
  if (form.password === '') errors.push({ field: 'password', text: t('signIn.errors.passwordMissing') });
  else if (form.password.length > 1024) errors.push({ field: 'password', text: t('signIn.errors.passwordTooLong') });
  return errors;
}

/**
 * A path on this site: one leading slash, then no second slash or backslash (which browsers read as another site),
 * no backslash anywhere, and no control character (browsers drop a tab or line break, so '/\t/host' becomes
 * '//host').
 */
function isSameSitePath(path: string): boolean {
  return /^\/(?![/\\])/.test(path) && !path.includes('\\') && !/[\u0000-\u001f\u007f]/.test(path);
}

/**
 * Only a path on this site, so a crafted link cannot send someone elsewhere after signing in; anything else goes to
 * the account page. The path must hold no whitespace as given, and be a same-site path once its %-escapes are
 * decoded too ('/%2F/host'), in case something on the way decodes them.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !isSameSitePath(value) || /\s/.test(value)) return '/account';
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/account';
  }
  return isSameSitePath(decoded) ? value : '/account';
}
