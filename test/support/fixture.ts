import { readFileSync } from 'node:fs';

// A recorded output from fixtures/ (see fixtures/README.md for where each was recorded).
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}
