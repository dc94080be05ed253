// Checks a new password and its confirmation, returning every problem at once for the GOV.UK error summary.
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';

/**
 * Long rather than complicated, as the National Cyber Security Centre advises: three random words pass, and no
 * rules about symbols push people towards passwords they must write down.
 */
export const MIN_PASSWORD_LENGTH = 12;
/** As at sign-in (validation.ts), so every password set can be used to sign in. */
export const MAX_PASSWORD_LENGTH = 1024;

export function validateNewPassword(
  form: { password: string; confirmPassword: string },
  email: string,
  t: Translate,
): FieldError[] {
  const errors: FieldError[] = [];
  const { password, confirmPassword } = form;
  if (password === '') errors.push({ field: 'password', text: t('setPassword.errors.passwordMissing') });
  else if (password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ field: 'password', text: t('setPassword.errors.passwordTooShort', { min: MIN_PASSWORD_LENGTH }) });
  } else if (password.length > MAX_PASSWORD_LENGTH) {
    errors.push({ field: 'password', text: t('setPassword.errors.passwordTooLong', { max: MAX_PASSWORD_LENGTH }) });
  } else if (password.trim().toLowerCase() === email.toLowerCase()) {
    errors.push({ field: 'password', text: t('setPassword.errors.passwordIsEmail') });
  }
  if (confirmPassword === '') {
    errors.push({ field: 'confirmPassword', text: t('setPassword.errors.confirmMissing') });
  } else if (password !== '' && confirmPassword !== password) {
    errors.push({ field: 'confirmPassword', text: t('setPassword.errors.confirmDifferent') });
  }
  return errors;
}
