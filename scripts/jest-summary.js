// Prints the verdict of the last jest run as one plain line, `jest: N passed, N failed[, N skipped]`,
// after everything jest printed, so that it is the last line CI sees.
const { readFileSync } = require('node:fs');

const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = results.numPendingTests + results.numTodoTests;
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
console.log(`jest: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
