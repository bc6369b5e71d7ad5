import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import { loadEnvironmentWithWarnings, originOf, truncatedValues } from './environment.ts';

describe('the environment', () => {
  it(".env beside the inventory wins over the working directory's; the process environment over both", async () => {
    const dir = await testDir('rlg-env-');
    await mkdir(join(dir, 'lab'));
    await writeFile(join(dir, '.env'), 'GRADER_SSH_KEY=/cwd/key\nGRADER_KNOWN_HOSTS=/cwd/known\nONLY_HERE=1\n');
    await writeFile(join(dir, 'lab', '.env'), 'GRADER_SSH_KEY=/lab/key\nGRADER_KNOWN_HOSTS=/lab/known\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { env } = loadEnvironmentWithWarnings('lab/inventory.yaml', { GRADER_KNOWN_HOSTS: '/run/known' });
      expect(env.GRADER_SSH_KEY).toBe('/lab/key');
      expect(env.GRADER_KNOWN_HOSTS).toBe('/run/known');
      expect(env.ONLY_HERE).toBe('1');
      expect(originOf(env, 'GRADER_SSH_KEY')).toBe(join(dir, 'lab', '.env'));
      expect(originOf(env, 'ONLY_HERE')).toBe(join(dir, '.env'));
      expect(originOf(env, 'GRADER_KNOWN_HOSTS')).toBe('the environment');
    } finally {
      process.chdir(cwd);
    }
  });

  it("warns of a value that dotenv cuts at '#', naming the file, line and variable, never the value", () => {
    const text = 'GRADER_SSH_PASSWORD=pa#ss\nA="pa#ss"\nB=\'x#y\'\nC=abc # a comment\nD= # empty\nE=#secret\nexport F=x#\n';
    const warnings = truncatedValues('/c/.env', text);
    expect(warnings).toEqual([
      "warning: /c/.env:1: the value of GRADER_SSH_PASSWORD stops at '#' (the rest is read as a comment): quote it, GRADER_SSH_PASSWORD='...'",
      expect.stringMatching(/^warning: \/c\/\.env:6: the value of E stops at '#'/),
      expect.stringMatching(/^warning: \/c\/\.env:7: the value of F stops at '#'/),
    ]);
    expect(warnings.join('\n')).not.toMatch(/secret/);
  });
});
