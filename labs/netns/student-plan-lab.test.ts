// A reference lab planned on a student's addressing plan (`npm run lab -- up --plan FILE --student ID`).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSubnet, subnetContains } from '../../grader/core/ipv4.ts';
import { tempDir } from '../../test/support/test-files.ts';
import { readStudentAddressing } from '../kit/student-plan.ts';
import { parseLabArgs } from './args.ts';
import { planLab } from './plan.ts';

const addressing = { vm1Network: '10.37.4.0/24', vm3Network: '172.20.96.0/26', routerOnVm1: '10.37.4.57', routerOnVm3: '172.20.96.9' };

describe('a reference lab on a student plan', () => {
  it("puts the internal networks and the router on the plan's values, VM1 and VM3 in the upper halves", () => {
    for (const slot of [0, 1, 5, 17]) {
      const p = planLab({ name: 'alice', slot, variant: 'good', stateDir: '/srv/.lab/alice', addressing });
      expect(p.subnets).toMatchObject({ internal1: '10.37.4.0/24', internal2: '172.20.96.0/26' });
      expect(p.addresses.router).toMatchObject({ internal1: '10.37.4.57', internal2: '172.20.96.9' });
      expect(Number(p.addresses.vm1.internal.split('.')[3])).toBeGreaterThanOrEqual(128);
      expect(Number(p.addresses.vm3.internal.split('.')[3])).toBeGreaterThanOrEqual(32);
      expect(subnetContains(parseSubnet(addressing.vm3Network), p.addresses.vm3.internal)).toBe(true);
      expect(p.vms.vm1.routes).toContainEqual({ to: '172.20.96.0/26', via: '10.37.4.57' });
      expect(p.vms.vm3.routes).toContainEqual({ to: '10.37.4.0/24', via: '172.20.96.9' });
    }
  });

  it('keeps the usual networks without a plan', () => {
    expect(planLab({ name: 'demo', slot: 0, variant: 'good', stateDir: '/srv/.lab/demo' }).subnets.internal1).toBe('10.10.1.0/24');
  });

  it('takes --plan and --student together only', () => {
    expect(parseLabArgs(['up', '--plan', 'class/plans.json', '--student', 's1'])).toMatchObject({ command: 'up', plan: { file: 'class/plans.json', student: 's1' } });
    expect(() => parseLabArgs(['up', '--plan', 'class/plans.json'])).toThrow('--plan FILE and --student ID go together');
  });

  const dir = tempDir('student-plan-');
  it("reads the student's entry of a plans.json and refuses what is not a plan", async () => {
    const file = path.join(dir(), 'plans.json');
    const drawnFrom = { pools: ['10.0.0.0/8'], prefixLength: 24, exclude: [] };
    await writeFile(file, JSON.stringify([{ studentId: 's1', lab: 'alice', ...addressing, draw: 0, drawnFrom }, { studentId: 's2', vm1Network: '10.1.1.0/24', vm3Network: '10.1.2.0/24', routerOnVm1: '10.9.9.9', routerOnVm3: '10.1.2.5', draw: 0, drawnFrom }, { studentId: 's3', vm1Network: '10.1.1.0/24' }]));
    expect(await readStudentAddressing(file, 's1')).toEqual(addressing);
    await expect(readStudentAddressing(file, 's9')).rejects.toThrow(`--plan ${file}: no plan for student 's9'`);
    await expect(readStudentAddressing(file, 's2')).rejects.toThrow("the plan of 's2' is not two networks with the router's address in each");
    await expect(readStudentAddressing(file, 's3')).rejects.toThrow("the plan of 's3' is not two networks with the router's address in each");
    await expect(readStudentAddressing(path.join(dir(), 'none.json'), 's1')).rejects.toThrow('cannot be read (ENOENT)');
  });
});
