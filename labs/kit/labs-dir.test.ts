import { describe, expect, it } from 'vitest';
import { testDir } from '../../test/support/test-files.ts';
import { LabExistsError } from './errors.ts';
import { claimName } from './labs-dir.ts';

describe('claimName', () => {
  it('claims a name once; a second claim names the command that tears the lab down', async () => {
    const labs = await testDir('rlg-claim-');
    expect(await claimName(labs, 'lab42')).toBe(`${labs}/lab42`);
    await expect(claimName(labs, 'lab42')).rejects.toThrow(LabExistsError);
    await expect(claimName(labs, 'lab42', 'vmlab')).rejects.toThrow(`tear it down first: npm run vmlab -- down --name lab42`);
    await expect(claimName(labs, 'lab42')).rejects.toThrow(`tear it down first: npm run lab -- down --name lab42`);
  });
});
