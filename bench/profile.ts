// Where the grader's time goes: its phases from the JSON report, and its CPU by component from a
// V8 CPU profile (`node --cpu-prof`).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabReport } from '../grader/core/lab-report.ts';
import type { Timeline } from './timeline.ts';

export interface PhaseBreakdown {
  /** Process start, module loading, configuration, report writing, exit: wall − report.durationMs. */
  processMs: number;
  /** durationMs of each result, `id host` -> ms (a check's own time, waiting for a channel included). */
  checks: Record<string, number>;
}

export function phaseBreakdown(report: LabReport, wallMs: number): PhaseBreakdown {
  const checks: Record<string, number> = {};
  for (const r of report.results) checks[r.host === 'lab' ? r.id : `${r.id} ${r.host}`] = r.durationMs;
  return { processMs: wallMs - report.durationMs, checks };
}

export interface TimelineParts {
  /** Connecting to the three VMs and discovering each: until the first check starts. */
  connectDiscoverMs: number;
  /** From then until the last inspection ends. */
  inspectMs: number;
  /** From then until the last traffic check (ping, traceroute) ends. */
  trafficMs: number;
  /** From then until the last measurement (iperf) ends. */
  measureMs: number;
  /** From then until gradeLab returns: closing the connections, scoring. */
  closeMs: number;
}

// The phases of one in-process grading, read off its timeline (whatever ran concurrently).
export function timelineParts(t: Timeline): TimelineParts {
  const start = Math.min(...t.checks.map((c) => c.startMs));
  const endOf = (phase: string, after: number) => Math.max(after, ...t.checks.filter((c) => c.phase === phase).map((c) => c.endMs));
  const inspectEnd = endOf('inspect', start);
  const trafficEnd = endOf('traffic', inspectEnd);
  const measureEnd = endOf('measure', trafficEnd);
  return {
    connectDiscoverMs: start,
    inspectMs: inspectEnd - start,
    trafficMs: trafficEnd - inspectEnd,
    measureMs: measureEnd - trafficEnd,
    closeMs: t.durationMs - measureEnd,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface CpuCost {
  name: string;
  ms: number;
}

export interface CpuProfileSummary {
  /** Profiled span (main thread), ms. */
  totalMs: number;
  /** Self time by component, largest first (idle excluded). */
  components: CpuCost[];
  /** Self time by function, largest first (idle excluded). */
  functions: CpuCost[];
  idleMs: number;
}

const REPO_URL = new URL('..', import.meta.url).href;
const BUNDLE_URL = new URL('../dist/grader-cli.mjs', import.meta.url).href;

/** For a line of the bundle (0-based), the source module esbuild bundled it from. */
type BundleSources = (line: number) => string | undefined;

// esbuild heads each module's code in the (unminified) bundle with a `// grader/dir/file.ts` line.
function bundleSources(bundleText: string): BundleSources {
  const starts: Array<[number, string]> = [];
  bundleText.split('\n').forEach((line, i) => {
    const m = /^\/\/ (grader\/\S+\.ts)$/.exec(line);
    if (m) starts.push([i, m[1]!]);
  });
  return (line) => {
    let found: string | undefined;
    for (const [start, source] of starts) {
      if (start > line) break;
      found = source;
    }
    return found;
  };
}

// The repository-relative file a frame runs in: for the bundle, the source it was bundled from.
function sourceOf(url: string, line: number, sources?: BundleSources): string {
  if (url.split('?')[0] === BUNDLE_URL) return sources?.(line) ?? 'dist/grader-cli.mjs';
  return url.slice(REPO_URL.length).split('?')[0]!;
}

function componentOf(frame: ProfileNode['callFrame'], sources?: BundleSources): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg === 'ssh2' || pkg === 'cpu-features') return 'ssh2 (SSH protocol and crypto, JS side)';
  if (pkg === 'tsx' || pkg === 'esbuild' || pkg === 'get-tsconfig') return 'tsx (loading TypeScript)';
  if (pkg) return `npm: ${pkg}`;
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/module')) return 'Node.js module loader';
  if (url.startsWith('node:')) return 'Node.js core (streams, net, crypto, fs...)';
  if (url.startsWith(REPO_URL)) {
    const rel = sourceOf(url, frame.lineNumber, sources);
    const parts = rel.split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : rel;
  }
  return url;
}

function functionLabel(frame: ProfileNode['callFrame'], sources?: BundleSources): string {
  const where = frame.url ? frame.url.replace(REPO_URL, '').replace(/^file:\/\/.*node_modules\//, '').split('?')[0] : '';
  if (frame.url.split('?')[0] === BUNDLE_URL) {
    const source = sources?.(frame.lineNumber);
    return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}${source ? ` (${source})` : ''}`;
  }
  return `${frame.functionName || '(anonymous)'}${where ? ` ${where}:${frame.lineNumber + 1}` : ''}`;
}

function summarizeCpuProfile(profile: CpuProfile, sources?: BundleSources): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const components = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const component = componentOf(frame, sources);
    components.set(component, (components.get(component) ?? 0) + us);
    const fn = functionLabel(frame, sources);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) =>
    [...m].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    components: sorted(components),
    functions: sorted(functions),
    idleMs: idleUs / 1000,
  };
}

/** The one `.cpuprofile` node wrote into `dir`, summarized (the bundle's frames by source module). */
export async function readCpuProfile(dir: string): Promise<CpuProfileSummary> {
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const bundle = await readFile(new URL(BUNDLE_URL), 'utf8').catch(() => '');
  return summarizeCpuProfile(JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile, bundleSources(bundle));
}
