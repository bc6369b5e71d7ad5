import { ConfigError } from '../config/config-error.ts';
import { parseShard, type Shard } from './select-labs.ts';

/** The variable a Kubernetes manifest sets to the Job's `completions` (Kubernetes gives no such variable itself). */
export const SHARD_TOTAL_VARIABLE = 'GRADER_SHARD_TOTAL';

type Env = Readonly<Record<string, string | undefined>>;

function wholeNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

// The shard of `--shard`: `I/N` as written, or `auto` / `auto/N` from the engine that started the
// process: GitLab CI's `parallel:` (CI_NODE_INDEX 1..N, CI_NODE_TOTAL) or a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX 0..N-1, N from `auto/N` or GRADER_SHARD_TOTAL). Anything else is a usage error.
export function resolveShard(text: string, env: Env): Shard {
  const auto = /^auto(?:\/(\d+))?$/.exec(text);
  if (!auto) return parseShard(text);
  const given = auto[1] === undefined ? undefined : Number(auto[1]);
  if (env.CI_NODE_INDEX !== undefined || env.CI_NODE_TOTAL !== undefined) {
    const index = wholeNumber(env.CI_NODE_INDEX);
    const total = wholeNumber(env.CI_NODE_TOTAL);
    if (index === undefined || total === undefined || index < 1 || index > total) {
      throw new ConfigError([`--shard auto: GitLab's CI_NODE_INDEX='${env.CI_NODE_INDEX ?? ''}' and CI_NODE_TOTAL='${env.CI_NODE_TOTAL ?? ''}' are not 1 <= index <= total (is the job 'parallel:'?)`]);
    }
    if (given !== undefined && given !== total) throw new ConfigError([`--shard auto/${given}: GitLab runs this job in ${total} parallel copies (CI_NODE_TOTAL), not ${given}`]);
    return { index, total };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const index = wholeNumber(env.JOB_COMPLETION_INDEX);
    const fromEnv = env[SHARD_TOTAL_VARIABLE];
    const envTotal = fromEnv === undefined ? undefined : wholeNumber(fromEnv);
    if (fromEnv !== undefined && (envTotal === undefined || envTotal < 1)) throw new ConfigError([`--shard auto: ${SHARD_TOTAL_VARIABLE}='${fromEnv}' is not a whole number of shards`]);
    if (given !== undefined && envTotal !== undefined && given !== envTotal) throw new ConfigError([`--shard auto/${given}: ${SHARD_TOTAL_VARIABLE} says ${envTotal} shards`]);
    const total = given ?? envTotal;
    if (total === undefined) throw new ConfigError([`--shard auto: a Kubernetes Indexed Job gives the index (JOB_COMPLETION_INDEX) but not the number of shards: use --shard auto/N or set ${SHARD_TOTAL_VARIABLE} to the Job's completions`]);
    if (index === undefined || index >= total) throw new ConfigError([`--shard auto: JOB_COMPLETION_INDEX='${env.JOB_COMPLETION_INDEX}' is not 0 <= index < ${total}`]);
    return { index: index + 1, total };
  }
  throw new ConfigError([`--shard auto needs GitLab CI's parallel: (CI_NODE_INDEX, CI_NODE_TOTAL) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX); neither is set: give --shard I/N`]);
}
