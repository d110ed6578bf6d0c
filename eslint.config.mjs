// Lint: typescript-eslint's type-checked rules (recommendedTypeChecked) on every TypeScript file of the
// project: server, client, scripts and tests. A rule is switched off or relaxed only with its reason here.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Bundles, dependencies, vendored or generated material, and test inputs (fixtures are code to scan,
    // not code of this project). The .mjs/.mts build and test scripts are plain JavaScript/config.
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/e2e/**',
      'test/realcode/**',
      'test/fixtures/**',
      'examples/**',
      'grammars/**',
      '**/*.mjs',
      '**/*.mts',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a value taken apart on purpose and left unused (`{ resolved: _r, ...rest }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // `ascendify lsp` loads the server bundle beside the CLI bundle at run time (its path is known only
    // then, and the bundler must not inline it): a plain require is the way to do that.
    files: ['server/src/cli.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Libraries and the built-in knowledge files loaded on first use: a require inside a function is what
    // defers their initialisation (an import would run at start-up in the bundle).
    files: ['server/src/common/lazy-modules.ts', 'server/src/knowledge/data/index.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Terminal and JSON escaping exist to find control characters: matching them is the point.
    files: ['server/src/report/terminal.ts', 'server/src/common/terminal.ts', 'server/src/report/json.ts', 'test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read reports, LSP replies and JSON files through JSON.parse and check them with expect():
      // typing each reply before checking it would restate the shapes the tests are there to check.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
