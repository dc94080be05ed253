// The one script written into every page: it marks the body before GOV.UK Frontend's styles apply, so components
// that change with JavaScript (the menu, the error summary's focus) do not jump once pathway.js loads, as the
// GOV.UK page template does.
import { createHash } from 'node:crypto';

export const JS_ENABLED_SCRIPT =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

/**
 * The content security policy allows this script by its hash and no other inline script. A hash is the same for
 * every response, where a nonce differs for each, so a public page can be rendered once and sent again
 * (kept-pages.ts) and no random number is drawn for each page.
 */
export const JS_ENABLED_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(JS_ENABLED_SCRIPT).digest('base64')}'`;
