import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_KINDS } from '../../grader/checks/registry.ts';
import { USAGE } from '../../grader/cli/args.ts';
import { MERGE_USAGE } from '../../grader/cli/merge-command.ts';
import { RESCORE_USAGE } from '../../grader/cli/rescore-command.ts';
import { renderCheckKinds, type KindFacts } from './check-kinds-reference.ts';
import { optionsOf, usageTexts } from './cli-reference.ts';
import { commentAbove, exitCodesOf } from './exit-codes-reference.ts';
import { fieldsOf, reportRows } from './report-reference.ts';
import { fieldsOfInterface } from './type-fields.ts';
import { renderAll } from './reference-pages.ts';
import { REPO } from './repo.ts';

describe('the generated reference pages (docs/reference/)', async () => {
  const pages = [...(await renderAll())];

  it.each(pages)('%s is what the code builds (run `npm run docs`)', (path, content) => {
    const file = join(REPO, path);
    expect(existsSync(file), `${path} is missing: run \`npm run docs\``).toBe(true);
    expect(readFileSync(file, 'utf8'), `${path} is stale: run \`npm run docs\``).toBe(content);
  });

  it('the command line page holds every usage text the CLI prints for --help, word for word', () => {
    const cli = pages.find(([path]) => path === 'docs/reference/cli.md')![1];
    for (const usage of [USAGE, MERGE_USAGE, RESCORE_USAGE]) expect(cli).toContain(usage);
  });

  it('the JSON report page lists the fields the schema leaves open too, with their comments', () => {
    const report = pages.find(([path]) => path === 'docs/reference/report-json.md')![1];
    expect(report).toMatch(/^\| `diagnoses\[\]\.cause` \| `"unreachable-vm"`/m);
    expect(report).toMatch(/^\| `results\[\]\.status` \| one of `"pass"`, `"fail"`, `"error"` \| yes \| ✔ \|/m);
  });

  it('the check kinds page has a section per kind of the registry', () => {
    const kinds = pages.find(([path]) => path === 'docs/reference/check-kinds.md')![1];
    expect([...kinds.matchAll(/^## `([^`]+)`$/gm)].map((m) => m[1])).toEqual(CHECK_KINDS.map((k) => k.kind));
  });
});

describe('the usage texts found in grader/', () => {
  it('are every exported *_USAGE, the main one first', async () => {
    const found = await usageTexts();
    expect(found[0]).toMatchObject({ command: 'grade', source: 'grader/cli/args.ts USAGE' });
    expect(found.map((u) => u.command)).toEqual(expect.arrayContaining(['grade', 'merge', 'rescore']));
    expect(found.find((u) => u.command === 'merge')?.text).toBe(MERGE_USAGE);
  });

  it("give each command the options of its own synopsis and option lines, not another subcommand's", () => {
    const text = [
      'Usage: npm run grade -- --host NAME [--out DIR]',
      '       npm run grade -- merge DIR --allow-missing',
      '',
      'Mentions --resume in prose.',
      '  --host NAME   the lab',
      '  -h, --help    this help',
    ].join('\n');
    expect(optionsOf(text, 'grade')).toEqual(['--host', '--out', '--help']);
    expect(optionsOf('Usage: npm run grade -- serve --port N [--token-file F]\n                 [--tls]\nServes.', 'serve')).toEqual(['--port', '--token-file', '--tls']);
  });
});

describe('the check kinds page', () => {
  it('shows parameters with their type, bounds, default and meaning, and a lab-wide kind as one result', () => {
    const kinds: KindFacts[] = [
      { kind: 'mtu', summary: 'The MTU is right.', scope: 'host', allowedHosts: ['vm1', 'vm3'], defaultHosts: ['vm1'], phase: 'inspect', paramsSchema: { properties: { mtu: { type: 'integer', minimum: 68, maximum: 9000, default: 1500, description: 'Bytes' } } }, rescoring: { thresholds: ['mtu'] } },
      { kind: 'shape', summary: 'The lab has a shape.', scope: 'lab', allowedHosts: [], defaultHosts: [], phase: 'measure', paramsSchema: { properties: {} } },
    ];
    const page = renderCheckKinds(kinds);
    expect(page).toContain('| `mtu` | integer, 68 to 9000 | `1500` | Bytes |');
    expect(page).toContain('- Hosts: `vm1` (may name `vm1`, `vm3`), one result per host');
    expect(page).toContain('judged again from stored measurements when `mtu` changes');
    expect(page).toContain('## `shape`\n\nThe lab has a shape.\n\n- Hosts: the lab: one result');
    expect(page).toContain('- Phase: measure: last, alone on the path');
  });
});

describe('the report fields', () => {
  it('follow $ref, arrays of arrays and required, with bounds where there is no description', () => {
    const schema = {
      definitions: { hop: { type: 'object', required: ['address'], properties: { address: { type: 'string', maxLength: 15, description: 'IPv4' } } } },
      type: 'object',
      required: ['hops'],
      properties: {
        hops: { type: 'array', items: { type: 'array', items: { $ref: '#/definitions/hop' } } },
        status: { enum: ['pass', 'fail'] },
        code: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      },
    };
    expect(fieldsOf(schema)).toEqual([
      { path: 'hops', type: 'array of array of object', required: true, description: '' },
      { path: 'hops[][].address', type: 'string', required: true, description: 'IPv4. at most 15 characters' },
      { path: 'status', type: 'one of `"pass"`, `"fail"`', required: false, description: '' },
      { path: 'code', type: 'integer or null', required: false, description: '' },
    ]);
  });
});

describe('the exit codes', () => {
  it('take their meaning from the doc comment right above each constant, sorted by code', () => {
    const source = '/** Every check passed. */\nexport const EXIT_OK = 0;\nexport const EXIT_NOT_GRADED = 5;\n/**\n * Bad input:\n * one line each.\n */\nexport const EXIT_BAD = 2;\n';
    expect(commentAbove(source, 'EXIT_BAD')).toBe('Bad input: one line each.');
    expect(exitCodesOf({ EXIT_NOT_GRADED: 5, EXIT_BAD: 2, EXIT_OK: 0, helper: 'x' }, source)).toEqual([
      { name: 'EXIT_OK', code: 0, meaning: 'Every check passed.' },
      { name: 'EXIT_BAD', code: 2, meaning: 'Bad input: one line each.' },
      { name: 'EXIT_NOT_GRADED', code: 5, meaning: 'not graded' },
    ]);
  });
});

describe('the fields of a TypeScript type', () => {
  it('are read by the compiler: nested objects and arrays, optional ones, doc comments, unions in words', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlg-type-fields-'));
    try {
      const file = join(dir, 'report.ts');
      writeFileSync(
        file,
        [
          '/** Where it was heard. */',
          "export type Scope = 'hypervisor' | 'in-vm';",
          'export interface Hop { address: string; ttl: number | null }',
          'export interface Report {',
          '  /** The lab. */',
          '  lab: string;',
          '  hops?: Hop[][];',
          '  scope?: Scope;',
          '  figures: Record<string, number>;',
          '}',
        ].join('\n'),
      );
      expect(fieldsOfInterface(file, 'Report')).toEqual([
        { path: 'lab', type: 'string', optional: false, doc: 'The lab.' },
        { path: 'hops', type: 'array of array of object', optional: true, doc: '' },
        { path: 'hops[][].address', type: 'string', optional: false, doc: '' },
        { path: 'hops[][].ttl', type: 'number or null', optional: false, doc: '' },
        { path: 'scope', type: '`"hypervisor"`, `"in-vm"`', optional: true, doc: 'Where it was heard.' },
        { path: 'figures', type: 'object (string → number)', optional: false, doc: '' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('join the schema: its own fields first, its exact types and bounds, and which fields it checks', () => {
    const rows = reportRows(
      [
        { path: 'schemaVersion', type: '`1` (always)', required: true, description: '' },
        { path: 'count', type: 'integer', required: true, description: '0 to 9' },
        { path: 'figures', type: 'object', required: true, description: '' },
      ],
      [
        { path: 'count', type: 'number', optional: false, doc: 'How many.' },
        { path: 'figures', type: 'object (string → number)', optional: false, doc: '' },
        { path: 'note', type: 'string', optional: true, doc: 'Free text.' },
      ],
    );
    expect(rows).toEqual([
      { path: 'schemaVersion', type: '`1` (always)', required: true, meaning: '', checked: true },
      { path: 'count', type: 'integer', required: true, meaning: 'How many. (0 to 9)', checked: true },
      { path: 'figures', type: 'object (string → number)', required: true, meaning: '', checked: true },
      { path: 'note', type: 'string', required: false, meaning: 'Free text.', checked: false },
    ]);
  });
});
