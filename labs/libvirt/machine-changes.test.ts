// Where an instructor reads before running `npm run vmlab -- up`, every change it makes to the
// machine is named: its usage, labs/libvirt/README.md and docs/reference-lab.md.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../test/support/run-cli.ts';
import { USAGE } from './args.ts';
import { MACHINE_CHANGES } from './machine-changes.ts';

const pages = {
  'npm run vmlab -- --help': USAGE,
  'labs/libvirt/README.md': readFileSync(`${REPO}/labs/libvirt/README.md`, 'utf8'),
  'docs/reference-lab.md': readFileSync(`${REPO}/docs/reference-lab.md`, 'utf8'),
};

describe('what vmlab up changes on the machine', () => {
  for (const [page, text] of Object.entries(pages)) {
    it(`is said in ${page}`, () => {
      const flat = text.replace(/`/g, '');
      for (const change of MACHINE_CHANGES) expect(flat, change.what).toContain(change.what);
      expect(flat).toMatch(/left running after down|leaves it so/);
    });
  }
});
