import { describe, expect, it } from 'vitest';
import { changedKeyLine, knownServersFile, parsePins } from './server-key-pin.ts';

const A = `SHA256:${'a'.repeat(43)}`;
const B = `SHA256:${'B'.repeat(42)}+`;

describe("the student's pinned course servers", () => {
  it('reads host:port fingerprint lines, the last for an address winning, and skips what is not one', () => {
    const pins = parsePins(`grader.example.edu:443 ${A}\n\n127.0.0.1:8443 not-a-fingerprint\ngrader.example.edu:443 ${B}\n[::1]:8443 ${A}\r\n`);
    expect([...pins]).toEqual([
      ['grader.example.edu:443', B],
      ['[::1]:8443', A],
    ]);
  });

  it('keeps them under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(knownServersFile({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/s' })).toBe('/x/config/router-lab-grader/known_servers');
    expect(knownServersFile({ HOME: '/home/s' })).toBe('/home/s/.config/router-lab-grader/known_servers');
  });

  it('says in one line which key was seen, which was expected and from where', () => {
    expect(changedKeyLine('https://g.example.edu', B, { fingerprint: A, from: 'pinned', file: '/f' })).toBe(
      `the course server at https://g.example.edu has host key ${B}, not ${A} as on your first submit (/f): it may not be your course's server; if your instructor announced a new key, give it with --server-key`,
    );
    expect(changedKeyLine('https://g.example.edu', B, { fingerprint: A, from: 'published' })).not.toMatch(/\n/);
  });
});
