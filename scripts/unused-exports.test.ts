import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/test-files.ts';

const SCRIPT = join(import.meta.dirname, 'unused-exports.ts');
const dir = tempDir('unused-exports-');

function project(files: Record<string, string>): string {
  const root = dir();
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true, strict: true }, include: ['src'] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const run = (root: string, ...folders: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', SCRIPT, '--repo', root, ...folders], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();

describe('unused-exports', () => {
  it('names exports used only in their own file and exports used nowhere, not those another file imports however it does', () => {
    const root = project({
      'src/a.ts': [
        'export function imported(): number { return 1; }',
        'export const local = 2;',
        'export function dead(): number { return local; }',
        'export interface Shape { x: number }',
        'export type Loaded = number;',
        'export function viaDynamicImport(): Loaded { return 3; }',
        '',
      ].join('\n'),
      'src/b.ts': "import { imported, type Shape } from './a.ts';\nexport const value: Shape = { x: imported() };\n",
      'src/c.ts': "const { viaDynamicImport } = await import('./a.ts');\nconsole.log(viaDynamicImport());\nexport {};\n",
      'src/d.ts': "export { value } from './b.ts';\n",
      'src/e.ts': "import { value } from './d.ts';\nconsole.log(value);\n",
    });
    expect(run(root)).toEqual(['dead src/a.ts:3 dead', 'local src/a.ts:2 local', 'local src/a.ts:5 Loaded']);
    expect(run(root, 'src/b.ts')).toEqual([]);
  });
});
