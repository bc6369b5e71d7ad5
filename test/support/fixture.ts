import { readdirSync, readFileSync } from 'node:fs';

// A recorded output from fixtures/ (see fixtures/README.md for where each was recorded).
export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');
}

// The files of a folder of fixtures/.
export function fixtureFiles(dir: string): string[] {
  return readdirSync(new URL(`../../fixtures/${dir}/`, import.meta.url));
}
