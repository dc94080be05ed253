// Whole public pages kept to be sent again: the search page and the Open Referral API's list of services, for
// anyone not signed in. Families search for the same few things again and again (autism, short breaks, speech
// therapy), and rendering a search page cost several times what sending it does.
import type { RuntimeEnvironment } from '../../config.ts';
import { RecentlyUsed } from './recently-used.ts';

/**
 * How long a page is kept. A change to the directory made through Pathway, in any process, is shown as soon as
 * this process hears of it (the key names the directory's generation, see `DirectorySearch.generation`); this
 * bounds how long anything else a page shows may be out of date.
 */
export const KEPT_FOR_MS = 10_000;
/** At most this many pages, the one kept longest ago making room: a search page is about 40 KB. */
export const PAGES_KEPT = 500;

interface KeptPage {
  body: string;
  keptAt: number;
}

export class KeptPages {
  private readonly pages = new RecentlyUsed<KeptPage>(PAGES_KEPT);

  /** The page kept under this key in the last KEPT_FOR_MS, if any. */
  find(key: string, now = Date.now()): string | undefined {
    const page = this.pages.find(key);
    return page && now - page.keptAt < KEPT_FOR_MS ? page.body : undefined;
  }

  keep(key: string, body: string, now = Date.now()): void {
    this.pages.keep(key, { body, keptAt: now });
  }
}

/** A route's kept pages; none in development, so a changed template shows at once. */
export function keptPagesIn(environment: RuntimeEnvironment): KeptPages | undefined {
  return environment === 'development' ? undefined : new KeptPages();
}
