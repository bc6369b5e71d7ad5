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

/** A check's parameters as the check file gives them, validated against the kind's schema, defaults filled in. */
export type RawParams = Readonly<Record<string, unknown>>;

export interface CheckContext<P> {
  /** The VM this result is about, or 'lab' for a check about the whole lab. */
  host: Role | 'lab';
  /** The check's parameters, validated and with the schema's defaults filled in. */
  params: P;
  lab: LabAccess;
}

/** Why a stored result cannot be judged again without grading the lab. */
export interface NeedsLiveRun {
  needsLiveRun: string;
}

// Re-judging a stored result from its measurements, subject and witnesses alone.
export interface Rescoring<P> {
  /** The parameters that only judge what was measured (floors, thresholds); any other one changed needs a new measurement. */
  thresholds: readonly string[];
  /** The verdict under `params`; undefined when the stored verdict stands whatever the thresholds (an error, a missing tool). */
  reEvaluate(stored: CheckResult, params: P): Verdict | NeedsLiveRun | undefined;
}

// A kind of check, typed by its parameters: what it needs from the lab, how it observes, and how
// it turns what it observed into a verdict (its module also renders that verdict's sentences).
export interface KindDefinition<P> {
  kind: string;
  /** One sentence: the kind's `description` in the check file's schema (checks/check-file.schema.json). */
  summary: string;
  /** `host`: one result per host listed in the check; `lab`: one result for the lab. */
  scope: 'host' | 'lab';
  /** Hosts the check may name, and those it runs on when the check file names none. */
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
  /** The parameters read, typed, from what the schema validated. */
  params(raw: RawParams): P;
  run(context: CheckContext<P>): Promise<Verdict>;
  /** How a stored result is judged again under changed parameters, without the lab; none: it cannot be. */
  rescoring?: Rescoring<P>;
}

// A kind as the runner and the rescore see it: its parameters read by the kind itself, so that
// nothing outside the kind needs their type.
export interface CheckKind extends Omit<KindDefinition<unknown>, 'params' | 'run' | 'rescoring'> {
  run(host: Role | 'lab', lab: LabAccess, params: RawParams): Promise<Verdict>;
  rescoring?: Rescoring<RawParams>;
}

export function defineKind<P>(definition: KindDefinition<P>): CheckKind {
  const { params, run, rescoring, ...rest } = definition;
  return {
    ...rest,
    run: (host, lab, raw) => run({ host, lab, params: params(raw) }),
    ...(rescoring ? { rescoring: { thresholds: rescoring.thresholds, reEvaluate: (stored, raw) => rescoring.reEvaluate(stored, params(raw)) } } : {}),
  };
}

// Reading one parameter of a validated check: the schema made sure of its type, a default filled
// it in; anything else is a kind whose schema and reader disagree (a bug, not a user's mistake).
export function numberParam(raw: RawParams, name: string): number {
  const value = raw[name];
  if (typeof value !== 'number') throw new Error(`parameter ${name} is ${typeof value}, not a number: the kind's schema and reader disagree`);
  return value;
}

export function textParam(raw: RawParams, name: string): string {
  const value = raw[name];
  if (typeof value !== 'string') throw new Error(`parameter ${name} is ${typeof value}, not a string: the kind's schema and reader disagree`);
  return value;
}

export function optionalRoleParam(raw: RawParams, name: string, roles: readonly Role[]): Role | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  const role = roles.find((r) => r === value);
  if (!role) throw new Error(`parameter ${name} is not a role: the kind's schema and reader disagree`);
  return role;
}
