// The documentation as a newcomer meets it: a short README whose first commands are the ones that
// work, three doors to pages that exist, links that resolve, and student data kept out of git.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/docs/repo.ts';
import { DIAGNOSIS_BLOCK } from '../e2e/diagnosis-table.ts';
import { tableInReadme, VERDICT_BLOCK } from '../e2e/verdict-table.ts';
import { anchorsOf, isExternal, linksOf, slugOf } from './markdown-links.ts';

/**
 * Pages other branches are writing at the time this test was written; a link to one of them is
 * accepted while the page is missing. Once merged, each must exist (then remove it from here).
 */
/** The commands a newcomer runs first, checked by CI (`.ci/run` runs the tests) and by users. */
const FIRST_COMMANDS = [
  'sudo bash scripts/install-system-packages.sh && npm ci && sudo npm run demo   # grade the built-in reference lab',
  'sudo npm test                                                                 # run the tests (root: namespaces, sshd, VMs; `npm run test:unit` needs none)',
];

const README_MAX_LINES = 150;

const read = (path: string) => readFileSync(join(REPO, path), 'utf8');

function docsPages(): string[] {
  return readdirSync(join(REPO, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
    .sort();
}

const PAGES = ['README.md', ...docsPages()];

// `path#anchor` of a link from `page`, relative to the repository; undefined for an external one.
function resolveLink(page: string, target: string): { path: string; anchor?: string } | undefined {
  if (isExternal(target)) return undefined;
  const [file = '', anchor] = target.split('#', 2);
  const path = file === '' ? page : normalize(join(dirname(page), decodeURIComponent(file)));
  return { path, ...(anchor ? { anchor } : {}) };
}

describe('the README', () => {
  const readme = read('README.md');

  it(`is at most ${README_MAX_LINES} lines`, () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('starts with the two commands a newcomer runs: grade the reference lab, run the tests', () => {
    const firstBlock = /^```sh\n([\s\S]*?)\n```/m.exec(readme);
    expect(readme.indexOf('```sh'), 'the first code block comes right after the title').toBeLessThan(readme.indexOf('\n\n', readme.indexOf('# ')) + 3);
    expect(firstBlock?.[1]?.split('\n')).toEqual(FIRST_COMMANDS);
  });

  it('names only npm scripts and files that exist in its first commands', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const commands = FIRST_COMMANDS.join('\n');
    for (const [, name] of commands.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, `npm run ${name}`).toHaveProperty([name!]);
    expect(scripts).toHaveProperty(['test']);
    for (const [, file] of commands.matchAll(/bash (\S+\.sh)/g)) expect(existsSync(join(REPO, file!)), file).toBe(true);
  });

  it('opens a door for each audience, each leading to its first page in one click', () => {
    const doors = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(doors).toEqual(expect.arrayContaining(['Instructors', 'Students', 'Contributors']));
    const section = (title: string) => readme.slice(readme.indexOf(`## ${title}`)).split(/\n## /)[0]!;
    expect(section('Instructors')).toContain('](docs/instructors.md)');
    expect(section('Students')).toContain('](docs/students.md)');
    expect(section('Contributors')).toContain('](docs/contributors.md)');
    expect(readme).toMatch(/docs\/class-summary\.png/);
  });
});

describe('the instructors\' first page', () => {
  const page = read('docs/instructors.md');
  const catches = page.slice(page.indexOf('## Three things that catch everyone')).split(/\n## /)[0]!;

  it('says, before anything else of a class, the three things that caught a newcomer', () => {
    expect(page.indexOf('## Three things that catch everyone')).toBeGreaterThan(0);
    expect(page.indexOf('## Three things that catch everyone')).toBeLessThan(page.indexOf('## Where next'));
    expect(catches).toMatch(/--host lab42.*one lab/s);
    expect(catches).toMatch(/--host 'lab42,lab43'/);
    expect(catches).toMatch(/--roster.*every/s);
    expect(catches).toMatch(/`merge`.*`rescore`/s);
    expect(catches).toMatch(/--inventory/);
  });
});

describe('the links of README.md and docs/', () => {
  it.each(PAGES)('%s: every relative link resolves to a file of the repository (and its anchor to a heading)', (page) => {
    const broken: string[] = [];
    for (const { line, target } of linksOf(read(page))) {
      const link = resolveLink(page, target);
      if (!link) continue;
      if (link.path.startsWith('..')) {
        broken.push(`${page}:${line}: ${target} leaves the repository`);
        continue;
      }
      if (!existsSync(join(REPO, link.path))) {
        broken.push(`${page}:${line}: ${target}: no such file ${link.path}`);
        continue;
      }
      if (link.anchor && link.path.endsWith('.md') && !anchorsOf(read(link.path)).has(link.anchor)) {
        broken.push(`${page}:${line}: ${target}: ${link.path} has no heading #${link.anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('reach every page of docs/ from the README', () => {
    const reached = new Set(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const { target } of linksOf(read(page))) {
        const link = resolveLink(page, target);
        if (!link || !link.path.endsWith('.md') || reached.has(link.path) || !existsSync(join(REPO, link.path))) continue;
        reached.add(link.path);
        queue.push(link.path);
      }
    }
    expect(docsPages().filter((p) => !reached.has(p))).toEqual([]);
  });
});

describe('the commands the documentation gives', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

  it.each(PAGES)('%s: every `npm run NAME` names a script of package.json', (page) => {
    const unknown = [...read(page).matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!).filter((name) => !(name in scripts));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it.each(PAGES)('%s: every file a command line copies or runs (`cp FILE`, `bash FILE`) is in the repository', (page) => {
    const named = [...read(page).matchAll(/^\s*(?:sudo )?(?:cp|bash) ([\w./-]+)/gm)].map((m) => m[1]!);
    expect(named.filter((file) => !existsSync(join(REPO, file)))).toEqual([]);
  });
});

describe('the glossary', () => {
  const WORDS = ['lab', 'attempt', 'witness', 'evidence scope', 'variant', 'plan', 'store', 'check kind', 'reporter', 'provider', 'shard', 'roster'];

  it.each(WORDS)('defines "%s" in a row of its own', (word) => {
    const rows = read('docs/glossary.md').split('\n').filter((line) => line.startsWith('| **'));
    const defined = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]));
    expect(defined).toContain(word);
  });
});

describe('the golden tables', () => {
  const page = read('docs/golden-tables.md');

  it.each([
    ['verdict', VERDICT_BLOCK],
    ['diagnosis', DIAGNOSIS_BLOCK],
  ] as const)('docs/golden-tables.md holds the %s table the reference-lab suite keeps current', (_name, block) => {
    const table = tableInReadme(page, block);
    expect(table?.split('\n').length).toBeGreaterThan(3);
    expect(table).toMatch(/^\| `good` \|/m);
  });

  it('are no longer in the README, where the suite used to write them', () => {
    expect(read('README.md')).not.toContain(VERDICT_BLOCK.start);
    expect(read('README.md')).not.toContain(DIAGNOSIS_BLOCK.start);
  });
});

describe('.gitignore', () => {
  // Files the documentation's examples tell an instructor to create: students' names, e-mails,
  // addresses, grades and keys.
  const STUDENT_DATA = ['roster.csv', 'roster.yaml', 'class/gradebook.csv', 'class/class.html', 'grades.sqlite', 'grades.sqlite-wal', 'course/grades.sqlite-shm', 'labs.yaml', '.env', 'keys/nc07_ed25519', 'reports/lab42.json', 'mylab.yaml', 'address.txt'];

  // git's answer for a path that need not exist: exit 0 ignored, 1 not; anything else is no answer
  // (safe.directory: under sudo the checkout belongs to another user).
  function ignored(path: string): boolean {
    const git = spawnSync('git', ['-c', `safe.directory=${REPO}`, 'check-ignore', '--no-index', '-q', path], { cwd: REPO, encoding: 'utf8' });
    if (git.status !== 0 && git.status !== 1) throw new Error(`git check-ignore ${path}: exit ${String(git.status)} ${git.stderr}`);
    return git.status === 0;
  }

  it.each(STUDENT_DATA)('keeps %s out of git', (path) => {
    expect(ignored(path)).toBe(true);
  });

  it('still lets the code and the recorded rosters in', () => {
    for (const path of ['grader/class-report/roster.ts', 'fixtures/rosters/class.csv', 'docs/class-summary.png']) expect(ignored(path), path).toBe(false);
  });
});

describe('the link reader', () => {
  it('finds Markdown and HTML links with their lines, not those in code', () => {
    const page = '# T\n\nSee [a](a.md#x) and `[b](b.md)`.\n```\n[c](c.md)\n```\n<img src="p.png">';
    expect(linksOf(page)).toEqual([
      { line: 3, target: 'a.md#x' },
      { line: 7, target: 'p.png' },
    ]);
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(slugOf('Three things that catch everyone')).toBe('three-things-that-catch-everyone');
    expect(slugOf('`npm run demo`')).toBe('npm-run-demo');
    expect(slugOf('Hardening: what a student can and cannot forge')).toBe('hardening-what-a-student-can-and-cannot-forge');
    expect([...anchorsOf('## A\n```\n## B\n```\n## A')]).toEqual(['a', 'a-1']);
  });
});
