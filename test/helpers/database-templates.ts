// Run by scripts/run-tests.mjs: `make` migrates the template databases before the test files run, `remove` drops
// them after. The variables that name them are in ./databases.ts.
import { makeTemplates, removeTemplates } from './databases.ts';

const command = process.argv[2];
if (command === 'make') await makeTemplates();
else if (command === 'remove') await removeTemplates();
else throw new Error(`Unknown command ${command ?? '(none)'}: use make or remove`);
