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

export function validateSignInForm(form: SignInForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.email === '') errors.push({ field: 'email', text: t('signIn.errors.emailMissing') });
  else if (form.email.length > MAX_LENGTH || !EMAIL_SHAPE.test(form.email)) {
    errors.push({ field: 'email', text: t('signIn.errors.emailFormat') });
  }
  if (form.password === '') errors.push({ field: 'password', text: t('signIn.errors.passwordMissing') });
  else if (form.password.length > 1024) errors.push({ field: 'password', text: t('signIn.errors.passwordTooLong') });
  return errors;
}

/** Only a path on this site, so a crafted link cannot send someone elsewhere after signing in. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/account';
  }
  return value;
}
