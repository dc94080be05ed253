// "Save to my list" without an account: the list lives in a cookie on the family's device, and can be shared
// as a link that carries the ids.
import { isUuid } from '../../web/ids.ts';
export const MAX_SAVED = 50;

export function parseSavedList(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(/[.,]/).filter((id) => isUuid(id)))].slice(0, MAX_SAVED);
}

export function withService(list: string[], id: string): string[] {
  return list.includes(id) ? list : [...list, id].slice(-MAX_SAVED);
}

export function withoutService(list: string[], id: string): string[] {
  return list.filter((saved) => saved !== id);
}

/** Ids joined with dots, which need no escaping in a cookie or a link. */
export function formatSavedList(list: string[]): string {
  return list.join('.');
}
