import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { persistSysctl, SYSCTL_D_FILE } from './persistence.ts';

describe('the persistence advice', () => {
  it('names one sysctl.d file, in the diagnosis and in the check file the grader ships', () => {
    const named = (text: string) => [...text.matchAll(/\/etc\/sysctl\.d\/[\w.-]+/g)].map((m) => m[0]);
    expect(named(persistSysctl('net.ipv4.ip_forward=1'))).toEqual([SYSCTL_D_FILE]);
    const shipped = named(readFileSync('checks/exercise.yaml', 'utf8'));
    expect(shipped.length).toBeGreaterThan(0);
    expect(new Set(shipped)).toEqual(new Set([SYSCTL_D_FILE]));
  });

  it('appends to that file, so that two settings kept there are both kept', () => {
    expect(persistSysctl('net.ipv4.ip_forward=1')).toContain(`sudo tee -a ${SYSCTL_D_FILE}`);
  });
});
