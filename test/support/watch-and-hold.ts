// `node --import tsx test/support/watch-and-hold.ts STATE_DIR OUT`: starts an owner watch for a
// lab at STATE_DIR whose reap script (reap-recorder.ts) writes its arguments to OUT, prints
// `watching PID`, and holds until killed.
import { fileURLToPath } from 'node:url';
import { TEAR_DOWN_WITH_PROCESS, watchOwner } from '../../labs/kit/owner-watch.ts';

const [stateDir, out] = process.argv.slice(2);
const recorder = fileURLToPath(new URL('./reap-recorder.ts', import.meta.url));
const watch = watchOwner(stateDir!, recorder, [out!], { [TEAR_DOWN_WITH_PROCESS]: '1' });
process.stdout.write(`watching ${watch.pid}\n`);
setInterval(() => {}, 60_000);
