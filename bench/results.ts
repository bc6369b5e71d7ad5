// What one benchmark run found: the driver fills it, the doc renderer reads it.
import type { ChannelMode } from './channel-cost.ts';
import type { ContenderId } from './contenders.ts';
import type { LabSideCounters } from './lab-side.ts';
import type { Machine } from './machine.ts';
import type { CpuProfileSummary, PhaseBreakdown } from './profile.ts';
import type { RecordingRecord } from './record-cost.ts';
import type { Timeline } from './timeline.ts';

export interface RunRecord {
  contender: ContenderId;
  wallMs: number;
  userMs: number;
  sysMs: number;
  /** CPU of client processes the command left running (Testinfra's ControlMasters), ms. */
  detachedCpuMs: number;
  maxRssKb: number;
  /** wall − the unavoidable time (iperf duration + ping count × interval). */
  overheadMs: number;
  lab: LabSideCounters;
  /** CPU the rest of the machine (other users) burnt meanwhile, ms. */
  othersBusyMs: number;
  verdicts: Record<string, string>;
  /** What was said about each result that did not pass. */
  details: Record<string, string>;
  /** The grader's phases (grader only). */
  phases?: PhaseBreakdown;
}

export interface StartupRecord {
  /** Which start: node alone, the bundle, the launcher, `--list` as shipped, through npm, through tsx. */
  key: 'node' | 'bundle-help' | 'launcher-help' | 'list' | 'npm-list' | 'list-tsx';
  label: string;
  argv: string;
  wallMs: number[];
  cpuMs: number[];
  maxRssKb: number[];
}

/** One decryption of the benchmark's encrypted key, ms: the grader's and ssh2's (wall, in process) and ssh-keygen's (CPU). */
export interface KeyDecryptionRecord {
  /** Absent in results saved before the grader decrypted keys itself. */
  graderMs?: number[];
  ssh2Ms: number[];
  opensshMs: number[];
}

export interface ChannelRecord {
  mode: ChannelMode;
  commands: number;
  connectMs: number;
  perCommandMs: number[];
  clientCpuMs: number;
  lab: LabSideCounters;
}

export interface LabSplitRecord {
  /** Grader runs with every check but iperf (`--only`). */
  withoutIperf: Array<LabSideCounters & { wallMs: number }>;
  /** Grader runs with iperf alone. */
  iperfOnly: Array<LabSideCounters & { wallMs: number }>;
}

export interface ClassRecord {
  label: string;
  /** How the labs were graded, as run. */
  how: string;
  /** Labs actually graded in this measurement. */
  labsRun: number;
  /** Measured over `labsRun` labs. */
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  lab: LabSideCounters;
  /** Scaled to the whole class when fewer labs were run (`labsRun` < class size). */
  classWallMs: number;
  classCpuMs: number;
  extrapolated: boolean;
  /** Labs whose verdicts equal the expected ones. */
  labsAsExpected: number;
  /** `lab result: status (why)` for every verdict that differed from the expected one. */
  unexpected: string[];
  /** CPU the rest of the machine (other users) burnt meanwhile, ms. */
  othersBusyMs: number;
  /** Each lab's own grading time (the report's durationMs), grader only. */
  labDurationsMs?: number[];
  iperfMbps?: number[];
}

export interface BenchResults {
  command: string;
  startedAt: string;
  totalMs: number;
  machine: Machine;
  loadavgEnd: number[];
  config: {
    runs: number;
    warmup: number;
    labs: number;
    classRuns: number;
    alsoConcurrency: number;
    classPeerLabs: number;
    iperfSeconds: number;
    pingCount: number;
    pingIntervalSeconds: number;
    unavoidableMs: number;
    checkFile: string;
  };
  singleLab: string;
  single: Record<ContenderId, RunRecord[]>;
  /** Per result, the verdict most runs of all contenders gave. */
  expected: Record<string, string>;
  /** `contender run i: result status (why)` for every verdict that differed from `expected`. */
  deviations: string[];
  startup: StartupRecord[];
  keyDecryption?: KeyDecryptionRecord;
  channels: ChannelRecord[];
  labSplit: LabSplitRecord;
  /** In-process gradings of the single lab, each check timed from the start. */
  timeline: Timeline[];
  profile?: { run: RunRecord; cpu: CpuProfileSummary };
  /** The course record's cost per lab (absent in results saved before it existed). */
  recording?: RecordingRecord;
  class?: {
    size: number;
    upMs: number;
    concurrent: ClassRecord[];
    /** Each of `concurrent` again right after it, with the class key encrypted. */
    encrypted: ClassRecord[];
    /** The class graded a few labs at a time (`--also-concurrency`). */
    limited: ClassRecord[];
    graderSequential: ClassRecord;
    shellSequential: ClassRecord;
    testinfraSequential: ClassRecord;
  };
}
