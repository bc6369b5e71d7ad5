// The VM lab's expected failures: the kit's error classes, and its own root check.
import { NeedRootError } from '../kit/errors.ts';

export { LabAbortedError, LabError, LabExistsError, LabUsageError, NeedRootError } from '../kit/errors.ts';

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new NeedRootError(
      'the VM lab needs root: it starts libvirtd and defines libvirt networks and VMs (try: sudo npm run vmlab -- ...)',
    );
  }
}
