/** Tests run TypeScript through swc (fast); type checking is `tsc --noEmit` in `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // openid-client and what it imports are ES modules only, which jest on Node 20 cannot require: swc turns them
  // into CommonJS too. The development identity provider (oidc-provider) runs as a child process instead.
  transform: { '^.+\\.(ts|js|mjs)$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  testTimeout: 60_000,
  // Temporal servers and the bundler are heavy: two workers fit the 2-core CI machine.
  maxWorkers: 2,
};
