// The reference lab's root check; its failures are the kit's (labs/kit/errors.ts).
import { NeedRootError } from '../kit/errors.ts';

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new NeedRootError('the reference lab needs root: it creates network namespaces, veths and bridges (try: sudo npm run lab -- ...)');
  }
}
