// Lint: type-aware rules that catch a forgotten await, and the workflow sandbox rules (no Node built-ins,
// activities imported as types only) for the deterministic code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'generated/', 'data/', '.cache/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins.' })),
            { name: '../activities', allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' },
          ],
          patterns: [
            { group: ['../activities/*', '../runtime/*', '../api/*', '../platform/*', '../presentation/*', '../worker/*', '../worker'], message: 'Workflow code must not reach I/O modules.' },
            { group: ['uuid', '@temporalio/client', '@temporalio/worker'], message: 'Not available in the workflow sandbox.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Workflow code is deterministic.' }],
    },
  },
  // Imports run one way: entry points (runtime/, scripts/, bench/, test/) → api / worker → activities /
  // presentation → platform, and workflows → domain. Nothing imports an entry point.
  {
    files: ['api/**/*.ts', 'worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/runtime/*'], message: 'Nothing imports an entry point (runtime/).' }] }] },
  },
  {
    files: ['activities/**/*.ts', 'presentation/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/runtime/*', '**/api/*', '**/worker', '**/worker/*'], message: 'Activities and presentation sit below the API and the worker.' }] }],
    },
  },
  {
    files: ['platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/runtime/*', '**/api/*', '**/worker', '**/worker/*', '**/activities', '**/activities/*', '**/presentation/*'], message: 'The platform is the ground floor: it imports none of the floors above.' }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
