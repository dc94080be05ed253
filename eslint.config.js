// Lint rules: typescript-eslint's strict, type-checked set, as DEFRA's services use.
import tseslint from 'typescript-eslint';

/** What no file of a feature imports (docs/architecture.md). */
const FEATURE_IMPORTS = [
  {
    group: ['../*/queries.ts', '../*/*-queries.ts'],
    message: "A feature calls another feature's service, never its queries.",
  },
  {
    group: ['**/demo/**'],
    message: 'No feature imports the demo: the demo writes through the features, not the reverse.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist.next-*/', 'dist.old-*/', 'data/', 'scripts/*.mjs', 'eslint.config.js', 'test/helpers/*.mjs', 'bench/*.mjs', 'src/web/static/'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Fastify's route handlers are async by convention even when they do not await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // With noUncheckedIndexedAccess, an index the loop has already bounds-checked is asserted with `!`.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The layers point inward (docs/architecture.md): src/domain holds pure rules, so it imports nothing outside
    // src/domain, and no framework, database or other input and output.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/db/*',
                '**/db/**',
                '**/features/**',
                '**/web/**',
                '**/jobs/**',
                '**/demo/**',
                '**/config.ts',
                '**/cli.ts',
              ],
              message: 'src/domain imports nothing outside src/domain: pass what a rule needs in as values.',
            },
            {
              group: ['fastify', 'fastify/*', '@fastify/*', 'kysely', 'pg', '@electric-sql/*', 'nunjucks', 'pino'],
              message: 'src/domain holds pure rules, without frameworks or a database.',
            },
          ],
          paths: ['node:fs', 'node:fs/promises', 'node:child_process', 'node:http', 'node:net'].map((name) => ({
            name,
            message: 'src/domain holds pure rules, without input and output.',
          })),
        },
      ],
    },
  },
  {
    // src/web is the platform every page stands on; it imports no feature (src/app.ts composes them).
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**'],
              message: 'src/web imports no feature: pass what it needs in from src/app.ts.',
            },
            {
              group: ['**/demo/**'],
              message: 'src/web imports no demo: the platform runs the same with or without demo data.',
            },
          ],
        },
      ],
    },
  },
  {
    // A feature calls another feature only through its service, never its queries (docs/architecture.md), and
    // never the demo: the demo is made from the features, not the other way round.
    files: ['src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: FEATURE_IMPORTS,
        },
      ],
    },
  },
  {
    // Routes are HTTP only (docs/architecture.md): they read the request through its schema, call a service and
    // render. SQL, queries and audit rows belong to the services, so a route file imports none of them and builds
    // no query. This setting replaces the one above for route files, so it starts from the same patterns.
    files: ['src/features/**/*routes.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...FEATURE_IMPORTS,
            {
              group: ['./queries.ts', './*-queries.ts', '**/queries.ts', '**/*-queries.ts'],
              message: "Routes call the feature's service; the service calls its queries.",
            },
            {
              group: ['**/audit/service.ts'],
              message: 'Audit rows are written by the service, in the transaction of the change they record.',
            },
          ],
          paths: [
            {
              name: 'kysely',
              importNames: ['sql', 'Kysely', 'Transaction'],
              message: "Routes run no SQL: call the feature's service.",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|transaction)$/]',
          message: "Routes build no query and open no transaction: call the feature's service.",
        },
      ],
    },
  },
  {
    // src/db is the connection, migrations and table types that every feature stands on: it imports no feature and
    // not the demo (the demo seeds through the features' services, from src/demo).
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/features/**', '**/demo/**'],
              message: 'src/db imports no feature and not the demo.',
            },
          ],
        },
      ],
    },
  },
  {
    // The demo writes only through the features' services, as a council's own data would arrive, so it cannot make
    // a record the services would refuse: it may read the database to find what it made, but builds no write.
    files: ['src/demo/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[property.name=/^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: "The demo writes through the features' services.",
        },
      ],
    },
  },
  {
    // The demo council is seeded by the command line (src/cli.ts), tests and benchmarks: no job and no other module
    // at the top of src/ depends on demo data being there (src/domain, src/web, src/db and the features are kept
    // from it by their own rules above, as one file takes one no-restricted-imports setting).
    files: ['src/jobs/**/*.ts', 'src/*.ts'],
    ignores: ['src/cli.ts', 'src/app.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/demo/**', './demo/*'],
              message: 'Only src/app.ts, src/cli.ts, tests and benchmarks import the demo.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      // Tests reach into results they have just asserted exist.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Tests read results defensively, whatever the types promise.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'test', 'it'] }] },
      ],
    },
  },
);
