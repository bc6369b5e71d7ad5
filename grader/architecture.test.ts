import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// docs/contributors.md, "Architecture": each folder of grader/ may import only the folders before it.
export const LAYERS = ['core', 'parse', 'transport', 'hypervisor', 'lab', 'checks', 'diagnose', 'config', 'run', 'report', 'class-report', 'plan', 'store', 'web', 'class', 'server', 'cli'];

const GRADER = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// grader/cli.ts belongs to the cli layer with grader/cli/.
function layerOf(path: string): string {
  const parts = relative(GRADER, path).split('/');
  return parts.length === 1 ? 'cli' : (parts[0] ?? '');
}

function upwardImports(): string[] {
  const problems: string[] = [];
  for (const file of sources(GRADER)) {
    const from = layerOf(file);
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      // Data files (package.json for the version) are not layers.
      if (!(match[1] ?? '').endsWith('.ts')) continue;
      const target = resolve(dirname(file), match[1] ?? '');
      if (relative(GRADER, target).startsWith('..')) {
        problems.push(`${relative(GRADER, file)} imports ${match[1]}, outside grader/`);
        continue;
      }
      const to = layerOf(target);
      if (to !== from && !(LAYERS.indexOf(to) >= 0 && LAYERS.indexOf(to) < LAYERS.indexOf(from))) {
        problems.push(`${relative(GRADER, file)} (${from}) imports ${relative(GRADER, target)} (${to})`);
      }
    }
  }
  return problems;
}

describe('architecture', () => {
  it('every folder of grader/ is a known layer', () => {
    const folders = readdirSync(GRADER, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !LAYERS.includes(f))).toEqual([]);
  });

  it('imports between grader/ folders only run downward', () => {
    expect(upwardImports()).toEqual([]);
  });
});
