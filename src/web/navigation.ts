// The service's menu, built from the access rules of the pages it offers: a person sees an entry only when they
// may open its page, so a page nobody may open is never offered, and a new page appears by being listed here once
// (its access rule decides who sees it).
import type { Role } from '../domain/people.ts';
import { isAllowed, type AccessRule } from './access.ts';

export interface NavigationEntry {
  href: string;
  /** Its label, a key under nav.* (or another area's) in the locale files. */
  labelKey: string;
  /** Other paths that belong to it, so the entry is marked as where the person is. */
  alsoActiveUnder?: string[];
  /** Shown only to someone not signed in (signing in). */
  signedOutOnly?: boolean;
  /** Marked active only on its own path, not the pages below it. */
  exact?: boolean;
}

/** The menu, in order. Each href is a GET page; its access rule decides who sees the entry. */
export const NAVIGATION: readonly NavigationEntry[] = [
  { href: '/services', labelKey: 'nav.findServices' },
  { href: '/account', labelKey: 'nav.account', exact: true },
  { href: '/short-breaks', labelKey: 'nav.shortBreaks' },
  { href: '/ask-for-help', labelKey: 'nav.askForHelp' },
  { href: '/messages', labelKey: 'nav.messages', exact: true },
  { href: '/short-breaks/queue', labelKey: 'nav.shortBreaksQueue' },
  { href: '/short-breaks/panel', labelKey: 'nav.panel' },
  { href: '/my-cases', labelKey: 'nav.myCases' },
  { href: '/unallocated', labelKey: 'nav.unallocated' },
  { href: '/caseload', labelKey: 'nav.caseload' },
  { href: '/referrals/mine', labelKey: 'nav.yourReferrals', alsoActiveUnder: ['/referrals/new', '/referrals/drafts'] },
  { href: '/referrals', labelKey: 'nav.referrals' },
  { href: '/child-requests', labelKey: 'nav.childRequests' },
  { href: '/children/search', labelKey: 'childSearch.nav', exact: true },
  { href: '/short-breaks/fairness', labelKey: 'nav.fairness' },
  {
    href: '/manage/services',
    labelKey: 'nav.directoryUpkeep',
    alsoActiveUnder: ['/manage/changes', '/manage/feedback'],
  },
  { href: '/manage/sufficiency', labelKey: 'nav.sufficiency' },
  {
    href: '/admin/users',
    labelKey: 'nav.administration',
    alsoActiveUnder: ['/admin/teams', '/admin/localities', '/admin/settings', '/admin/council'],
  },
  { href: '/admin/scoring', labelKey: 'nav.scoring' },
  { href: '/admin/notifications', labelKey: 'nav.outbox', exact: true },
  { href: '/admin/audit', labelKey: 'nav.audit' },
  { href: '/sign-in', labelKey: 'nav.signIn', signedOutOnly: true, exact: true },
];

export interface MenuItem {
  href: string;
  labelKey: string;
  active: boolean;
}

/**
 * The entries a person may open, given each page's access rule (`accessOf`), their roles (null when not signed in)
 * and where they are. The one entry marked active is the most specific that contains the current path.
 */
export function menuFor(
  entries: readonly NavigationEntry[],
  accessOf: (href: string) => AccessRule | undefined,
  roles: readonly Role[] | null,
  currentPath: string,
): MenuItem[] {
  const offered = entries.filter((entry) => {
    if (entry.signedOutOnly) return roles === null;
    const access = accessOf(entry.href);
    // Public pages other than the directory are reachable without the menu (the home page, help pages).
    return access !== undefined && isAllowed(access, roles);
  });
  const contains = (entry: NavigationEntry, path: string) =>
    entry.exact ? path === entry.href : path === entry.href || path.startsWith(`${entry.href}/`);
  const matching = offered.filter(
    (entry) =>
      contains(entry, currentPath) ||
      (entry.alsoActiveUnder ?? []).some((under) => currentPath === under || currentPath.startsWith(`${under}/`)),
  );
  const mostSpecific = matching.sort((a, b) => b.href.length - a.href.length)[0];
  return offered.map((entry) => ({ href: entry.href, labelKey: entry.labelKey, active: entry === mostSpecific }));
}
