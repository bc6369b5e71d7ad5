// No import circle anywhere in the repository's TypeScript: product, tests, scripts, benches.
// grader/architecture.test.ts keeps grader/'s folders in layers; this test keeps every file of the
// repository, type-only imports, re-exports and import() with a literal path included, out of loops.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/run-cli.ts';

/** Not the repository's own TypeScript: installed packages, build output, labs' and tools' state. */
const SKIPPED = new Set(['node_modules', 'dist', 'reports']);

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

// The file a relative specifier names, as Node and tsc resolve it here (`.ts` written out, or
// `.js` for a `.ts`); undefined for a package or a data file.
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.(c|m)?js$/, '.$1ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((path) => /\.(c|m)?ts$/.test(path) && existsSync(path) && statSync(path).isFile());
}

/** Every file → the repository files it imports. */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of typescriptFiles(root)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((f) => resolveImport(file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components of more than one file, or of one file importing itself (Tarjan). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

// One line per circle: its files, and the imports that tie them.
function describeCircle(component: string[], graph: ReadonlyMap<string, readonly string[]>, root: string): string {
  const members = new Set(component);
  const ties = component.flatMap((from) => (graph.get(from) ?? []).filter((to) => members.has(to)).map((to) => `${relative(root, from)} -> ${relative(root, to)}`));
  return ties.join(', ');
}

describe('import circles', () => {
  it('finds a circle, a self-import and nothing else in a small graph', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
      ['f', ['d']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  it('reads type-only imports, re-exports and import() as imports', () => {
    const { importedFiles } = ts.preProcessFile(
      "import type { A } from './a.ts';\nexport { B } from './b.ts';\nconst c = await import('./c.ts');\n",
      true,
      true,
    );
    expect(importedFiles.map((f) => f.fileName)).toEqual(['./a.ts', './b.ts', './c.ts']);
  });

  it('sees the files of every part of the repository', () => {
    const files = [...importGraph(REPO).keys()].map((f) => relative(REPO, f));
    for (const folder of ['grader/', 'test/', 'scripts/', 'bench/']) expect(files.some((f) => f.startsWith(folder)), folder).toBe(true);
    expect(files).toContain('vitest.config.ts');
  });

  it('has none in the repository', () => {
    const graph = importGraph(REPO);
    expect(circles(graph).map((c) => describeCircle(c, graph, REPO))).toEqual([]);
  });
});
