// Cookie names, in one place so a council's security review can see them all.
export const SESSION_COOKIE = 'pathway_session';
export const LANGUAGE_COOKIE = 'pathway_lang';
export const CSRF_COOKIE = 'pathway_csrf';
export const OIDC_COOKIE = 'pathway_oidc';
