// Where the project's shared reference data sits beside the repository (Open Referral schemas and feeds,
// the search evaluation set). CI clones the repository with shared/ beside it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SHARED = resolve(process.env.SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared'));
if (!existsSync(SHARED)) throw new Error(`The shared reference data is not at ${SHARED}; set SHARED_DIR`);

export const ORUK_REFERENCE = join(SHARED, 'reference', 'oruk');
export const EVALUATION_SERVICES = join(SHARED, 'data', 'search-eval', 'services.json');
