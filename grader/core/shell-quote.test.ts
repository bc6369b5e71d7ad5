import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterCommand } from '../checks/router-counters.ts';
import { quote, sh } from './shell-quote.ts';

// Values a student controls (interface names, addresses printed by their VM) crafted to run
// something: every one must reach the command as one literal word, in every login shell.
const dir = mkdtempSync(join(tmpdir(), 'rlg-inject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOSTILE = [
  `eth1;touch ${dir}/a`,
  `$(touch ${dir}/b)`,
  `\`touch ${dir}/c\``,
  `x' ; touch ${dir}/d ; '`,
  `x\\'; touch ${dir}/e #`,
  `"$(touch ${dir}/f)"`,
  `x\ntouch ${dir}/g`,
  `a|touch ${dir}/h`,
  `(touch ${dir}/i)`,
];
const SHELLS = ['sh', 'dash', 'bash', 'zsh', 'fish'].filter((s) => ['/bin', '/usr/bin'].some((d) => existsSync(join(d, s))));

describe('quoting for a remote shell', () => {
  it('finds the shells students log in with', () => {
    expect(SHELLS).toEqual(['sh', 'dash', 'bash', 'zsh', 'fish']);
  });

  it.each(SHELLS)('in %s, each hostile value arrives as one word and runs nothing', (shell) => {
    for (const value of HOSTILE) {
      const printed = execFileSync(shell, ['-c', `printf '%s' ${quote(value)}`]).toString();
      expect(printed).toBe(value);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the sh tag quotes every interpolated value, arrays word by word', () => {
    const words = execFileSync('sh', ['-c', sh`printf '[%s]' ${HOSTILE[0]!} ${[HOSTILE[1]!, HOSTILE[2]!]}`]).toString();
    expect(words).toBe(`[${HOSTILE[0]}][${HOSTILE[1]}][${HOSTILE[2]}]`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("the router counters command, built from the router's interface names, runs nothing they contain", () => {
    for (const value of HOSTILE) {
      try {
        execFileSync('sh', ['-c', counterCommand({ towardVm1: value, towardVm3: value })], { stdio: 'ignore' });
      } catch {
        // grep finds no such file: exit 2 is expected
      }
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
