// Lint rules: typescript-eslint's strict, type-checked set, as DEFRA's services use.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scripts/*.mjs', 'eslint.config.js', 'test/helpers/*.mjs', 'bench/*.mjs', 'src/web/static/'] },
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
              group: ['**/db/*', '**/db/**', '**/features/**', '**/web/**', '**/jobs/**', '**/config.ts', '**/cli.ts'],
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
          ],
        },
      ],
    },
  },
  {
    // A feature calls another feature only through its service, never its queries (docs/architecture.md).
    files: ['src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*/queries.ts', '../*/*-queries.ts'],
              message: "A feature calls another feature's service, never its queries.",
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
