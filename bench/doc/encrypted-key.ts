// docs/BENCHMARKS.md: what an encrypted key costs, its targets' rows and its section.
import type { BenchResults, ClassRecord, KeyDecryptionRecord, RunRecord } from '../results.ts';
import { ratio, sec, secRange, summarize } from '../stats.ts';
import { cpuOf, med, yes } from './format.ts';

interface KeyCost {
  /** One lab graded alone: medians' difference, encrypted minus plain, ms. */
  aloneMs: number;
  aloneCpuMs: number;
  /** Per lab of the class graded at once: the difference of the class runs' medians over the class size, ms. */
  perClassLabMs?: number;
  perClassLabCpuMs?: number;
}

// What the encrypted key costs on top of the plain one: alone, and per lab of a class.
function keyCost(r: BenchResults): KeyCost | undefined {
  const enc = r.single['grader-encrypted-key'];
  if (!enc?.length) return undefined;
  const d = (pick: (x: RunRecord) => number) => med(enc.map(pick)) - med(r.single.grader.map(pick));
  const k = r.class;
  const perLab = (pick: (c: ClassRecord) => number) => (k?.encrypted.length ? (med(k.encrypted.map(pick)) - med(k.concurrent.map(pick))) / k.size : undefined);
  const perClassLabMs = perLab((c) => c.wallMs);
  const perClassLabCpuMs = perLab((c) => c.cpuMs);
  return {
    aloneMs: d((x) => x.overheadMs),
    aloneCpuMs: d(cpuOf),
    ...(perClassLabMs === undefined ? {} : { perClassLabMs, perClassLabCpuMs: perClassLabCpuMs! }),
  };
}

export function keyTargets(r: BenchResults, rows: string[][], misses: string[]): void {
  const cost = keyCost(r);
  if (!cost) return;
  const target = 'with an encrypted key, a lab\'s grading overhead within 0.05 s of a plain key\'s';
  const alone = cost.aloneMs <= 50;
  rows.push([`${target}: a lab graded alone`, `+${sec(cost.aloneMs)} s wall, +${sec(cost.aloneCpuMs)} CPU-s (one decryption)`, yes(alone)]);
  const inC = r.keyDecryption ? `, which takes ${sec(med(r.keyDecryption.opensshMs))} CPU-s even in OpenSSH's C` : '';
  if (!alone) misses.push(`encrypted key, one lab alone: +${sec(cost.aloneMs)} s instead of ≤ 0.05 s: the one decryption of the key${inC} (see "An encrypted key")`);
  if (cost.perClassLabMs !== undefined) {
    const ok = cost.perClassLabMs <= 50;
    rows.push([`${target}: a lab of a class of ${r.class!.size}`, `${cost.perClassLabMs >= 0 ? '+' : ''}${sec(cost.perClassLabMs, 3)} s wall, ${cost.perClassLabCpuMs! >= 0 ? '+' : ''}${sec(cost.perClassLabCpuMs!, 3)} CPU-s per lab`, yes(ok)]);
    if (!ok) misses.push(`encrypted key, per lab of the class: +${sec(cost.perClassLabMs, 3)} s instead of ≤ 0.05 s`);
  }
}

// One decryption measured alone, two ways, and how the grader's compares.
export function decryptionTimes(k: KeyDecryptionRecord): string {
  return (
    `Measured alone, one decryption took ${secRange(summarize(k.graderMs))} CPU-s in the grader (ssh2's key parser and its bcrypt-pbkdf package, JavaScript) ` +
    `and ${secRange(summarize(k.opensshMs))} CPU-s in OpenSSH's \`ssh-keygen -y\` (C), ${k.graderMs.length} runs each: ` +
    `the grader's is ${ratio(med(k.graderMs), med(k.opensshMs))} slower than OpenSSH's.`
  );
}

export function encryptedKeySection(r: BenchResults): string[] {
  const cost = keyCost(r);
  if (!cost) return [];
  const perRun = 'The grader decrypts the key once per run (grader/transport/credentials.ts keeps the parsed key per key and passphrase), not once per connection';
  return [
    '### An encrypted key',
    '',
    `\`grader-encrypted-key\` in the one-lab table is the grader on the same lab with the lab's key encrypted by \`ssh-keygen -p\` ` +
      "(OpenSSH's format, its default bcrypt KDF with 16 rounds), the passphrase in the environment: " +
      `a median overhead ${sec(cost.aloneMs)} s and ${sec(cost.aloneCpuMs)} CPU-s above the plain key's. ${perRun}: ` +
      'a lab graded alone pays that one decryption, which the KDF makes slow on purpose, and three VMs would otherwise pay it three times.' +
      (r.keyDecryption ? ` ${decryptionTimes(r.keyDecryption)}` : '') +
      (cost.perClassLabMs !== undefined
        ? ` A class pays it once for all its labs: graded at once, the class took ${sec(cost.perClassLabMs * r.class!.size)} s of wall and ` +
          `${sec(cost.perClassLabCpuMs! * r.class!.size)} CPU-s more with the key encrypted (medians of ${r.class!.encrypted.length} run(s) each, ` +
          `run right after the plain key's), ${sec(cost.perClassLabMs, 3)} s and ${sec(cost.perClassLabCpuMs!, 3)} CPU-s per lab.`
        : '') +
      ' With the key in an ssh-agent (SSH_AUTH_SOCK; the grader offers the agent\'s keys) no run decrypts anything.',
    '',
  ];
}
