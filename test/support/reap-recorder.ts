// A reap script for tests of the owner watch: writes the arguments it was given (the owner's pid,
// then OUT) to OUT.
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
writeFileSync(args[1]!, `${args.join(' ')}\n`);
