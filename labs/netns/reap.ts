// `node --import tsx labs/netns/reap.ts PID NAME LABS_DIR`: run by a lab's owner watch
// (lab-kit/owner-watch.ts) once the process that brought the lab up is gone: tears it down.
import { join } from 'node:path';
import { ownedBy } from '../kit/owner-watch.ts';
import { labDown } from './api.ts';

const [pid, name, labsDir] = process.argv.slice(2);
// Only the lab that process built: not one of the same name built since by another.
if (ownedBy(join(labsDir!, name!), Number(pid))) await labDown(name!, { labsDir: labsDir! }).catch(() => undefined);
