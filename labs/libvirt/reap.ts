// `node --import tsx labs/libvirt/reap.ts PID NAME LABS_DIR`: run by a VM lab's owner watch
// (labs/kit/owner-watch.ts) once the process that brought it up is gone: tears it down.
import { join } from 'node:path';
import { ownedBy } from '../kit/owner-watch.ts';
import { vmLabDown } from './api.ts';

const [pid, name, labsDir] = process.argv.slice(2);
// Only the lab that process built: not one of the same name built since by another.
if (ownedBy(join(labsDir!, name!), Number(pid))) await vmLabDown(name!, { labsDir: labsDir! }).catch(() => undefined);
