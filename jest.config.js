/** Tests run TypeScript through swc (fast); type checking is `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60_000,
  // Temporal servers and the bundler are heavy: two workers fit the 2-core CI machine.
  maxWorkers: 2,
};
