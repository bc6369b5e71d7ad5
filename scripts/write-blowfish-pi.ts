// Writes grader/transport/blowfish-pi.ts, Blowfish's initial state (the first 1,042 words of pi's
// fractional part), from grader/transport/pi-fraction.ts: `npx tsx scripts/write-blowfish-pi.ts`.
// A test recomputes the words and fails if the file differs.
import { writeFile } from 'node:fs/promises';
import { BLOWFISH_PI_PATH, blowfishPiSource } from '../grader/transport/blowfish-pi-source.ts';

await writeFile(BLOWFISH_PI_PATH, blowfishPiSource());
console.log(`wrote ${BLOWFISH_PI_PATH}`);
