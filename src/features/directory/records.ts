// The directory's write model: one service with everything it owns or points to, whichever feed it came from.
import type { AccessRoute, SendNeed } from '../../domain/local-offer.ts';

export type Json = Record<string, unknown>;

export interface OrganizationRecord {
  id: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
  logo: string | null;
  uri: string | null;
}

export interface LocationRecord {
  id: string;
  name: string | null;
  description: string | null;
  locationType: string;
  latitude: number | null;
  longitude: number | null;
  postcode: string | null;
  addresses: Json[];
  accessibility: Json[];
}

export interface TaxonomyRecord {
  id: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

export interface TermRecord {
  id: string;
  name: string;
  description: string;
  code: string | null;
  termUri: string | null;
  parentId: string | null;
  taxonomy: TaxonomyRecord | null;
}

export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';

export interface ServiceRecord {
  id: string;
  name: string;
  description: string;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  fees: string | null;
  accreditations: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  assuredDate: string | null;
  assurerEmail: string | null;
  alert: string | null;
  lastModified: Date;
  organization: OrganizationRecord | null;
  locations: { serviceAtLocationId: string; location: LocationRecord }[];
  schedules: Json[];
  serviceAreas: Json[];
  languages: Json[];
  funding: Json[];
  costOptions: Json[];
  contacts: Json[];
  terms: TermRecord[];
  accessRoutes: AccessRoute[];
  sendNeeds: SendNeed[];
}

export interface RejectedRecord {
  reference: string;
  reasons: string[];
}

export type NormalisedRecord = { accepted: ServiceRecord } | { rejected: RejectedRecord };
