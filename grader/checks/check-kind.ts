import type { LabAccess } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import type { CheckResult, Verdict } from '../core/result.ts';

/**
 * When a kind runs: `inspect` reads state and sends no traffic between the VMs; `traffic` sends a
 * little (ping, traceroute); `measure` runs alone on the path, after everything else (iperf).
 */
export type Phase = 'inspect' | 'traffic' | 'measure';

/** A JSON Schema fragment (draft-07, as the check file's schema and ajv's default `Ajv` take it). */
export type JsonSchema = Record<string, unknown>;

export interface CheckContext<P> {
  /** The VM this result is about, or 'lab' for a check about the whole lab. */
  host: Role | 'lab';
  /** The check's parameters, validated and with the schema's defaults filled in. */
  params: P;
  lab: LabAccess;
}

// A kind of check: what it needs from the lab and how it turns what it observed into a verdict.
export interface CheckKind<P = never> {
  kind: string;
  /** One sentence: the kind's `description` in the check file's schema (checks/check-file.schema.json). */
  summary: string;
  /** `host`: one result per host listed in the check; `lab`: one result for the lab. */
  scope: 'host' | 'lab';
  /** Hosts the check may name; the first ones are the default when the check file names none. */
  allowedHosts: readonly Role[];
  defaultHosts: readonly Role[];
  phase: Phase;
  /**
   * The VMs a result for `host` needs: its own, and those whose discovered facts it reads (internal
   * addresses, the router's address facing the VM) or whose witness must answer (the router's
   * counters): with one of them out of reach the result cannot pass.
   */
  needs(host: Role | 'lab'): readonly Role[];
  /** Schema of `params`, with `default`s; it becomes part of the check file's schema. */
  paramsSchema: JsonSchema;
  run(context: CheckContext<P>): Promise<Verdict>;
  /** How a stored result is judged again under changed parameters, without the lab; none: it cannot be. */
  rescoring?: Rescoring<P>;
}

/** Why a stored result cannot be judged again without grading the lab. */
export interface NeedsLiveRun {
  needsLiveRun: string;
}

// Re-judging a stored result from its measurements and evidence alone.
export interface Rescoring<P> {
  /** The parameters that only judge what was measured (floors, thresholds); any other one changed needs a new measurement. */
  thresholds: readonly string[];
  /** The verdict under `params`; undefined when the stored verdict stands whatever the thresholds (an error, a missing tool). */
  reEvaluate(stored: CheckResult, params: P): Verdict | NeedsLiveRun | undefined;
}
