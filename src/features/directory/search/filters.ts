// What a directory search may ask for besides its words: filters and an order.
import type { AccessRoute, SendNeed, Weekday } from '../../../domain/local-offer.ts';

export interface Point {
  latitude: number;
  longitude: number;
}

export interface SearchFilters {
  /** A child's age in years: keeps services whose age range includes it. */
  age?: number;
  needs?: SendNeed[];
  termIds?: string[];
  taxonomyId?: string;
  organizationId?: string;
  near?: Point;
  maxDistanceKm?: number;
  free?: boolean;
  accessRoutes?: AccessRoute[];
  days?: Weekday[];
  modifiedAfter?: Date;
  /** Public pages show active services only; the API can ask for every status. */
  activeOnly?: boolean;
}

export type SearchOrder = 'relevance' | 'distance' | 'name';
