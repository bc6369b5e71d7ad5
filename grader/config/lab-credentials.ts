import { ROLES, type Role } from '../core/roles.ts';
import type { Credentials } from '../transport/credentials.ts';
import type { CredentialSource, LabTarget } from '../transport/targets.ts';
import { ConfigError } from './config-error.ts';
import { loadKey, readKeyFile, shortPath } from './credentials-from-env.ts';
import { originOf, type Environment } from './environment.ts';

// The credentials to log in to one host of a lab: a VM, or 'way' for its jump host and hypervisor.
export type CredentialsFor = (lab: LabTarget, role: Role | 'way') => Credentials;

function from(env: Environment, name: string): string {
  const origin = originOf(env, name);
  return origin && origin !== 'the environment' ? ` in ${shortPath(origin)}` : '';
}

// What an inventory's `credentials` points to, read now: the credentials, or the problems
// (each naming the place in the inventory and the pointer, never a secret).
function resolveSource(source: CredentialSource, env: Environment): Credentials | string[] {
  const credentials: Credentials = { origin: {} };
  const problems: string[] = [];
  const where = source.where;
  if (source.keyFile) {
    const passphrase = source.passphraseEnv ? env[source.passphraseEnv] || undefined : undefined;
    if (source.passphraseEnv && passphrase === undefined) problems.push(`${where}: passphraseEnv names ${source.passphraseEnv}, which is not set in the environment or .env`);
    const key = loadKey(source.keyFile, passphrase, { key: 'keyFile', passphrase: source.passphraseEnv ?? 'passphraseEnv', place: `${where}/keyFile` });
    if (typeof key === 'string') problems.push(key);
    else Object.assign(credentials, { privateKey: key.privateKey, passphrase, origin: { key: `${shortPath(source.keyFile)} from the inventory` } });
  }
  if (source.passwordEnv) {
    const password = env[source.passwordEnv];
    if (!password) problems.push(`${where}: passwordEnv names ${source.passwordEnv}, which is not set in the environment or .env`);
    else Object.assign(credentials, { password, origin: { ...credentials.origin, password: `${source.passwordEnv}${from(env, source.passwordEnv)}` } });
  }
  if (source.passwordFile) {
    const file = readKeyFile(source.passwordFile);
    const password = typeof file === 'string' ? undefined : file.toString('utf8').split(/\r?\n/)[0];
    if (typeof file === 'string') problems.push(`${where}: the password file ${source.passwordFile} cannot be read: ${file}`);
    else if (!password) problems.push(`${where}: the password file ${source.passwordFile} has an empty first line`);
    else Object.assign(credentials, { password, origin: { ...credentials.origin, password: `first line of ${shortPath(source.passwordFile)}` } });
  }
  if (source.agent) {
    if (env.SSH_AUTH_SOCK) credentials.agent = env.SSH_AUTH_SOCK;
    else problems.push(`${where}: agent is true, but SSH_AUTH_SOCK is not set`);
  }
  if (problems.length === 0 && !credentials.privateKey && credentials.password === undefined && !credentials.agent) {
    problems.push(`${where}: names no credential (keyFile, passwordEnv, passwordFile or agent: true)`);
  }
  return problems.length > 0 ? problems : credentials;
}

// Reads every credential these labs point to, now, so that a missing key or variable is a
// configuration error before anything is graded; the GRADER_SSH_* credentials (`fallback`) only
// when a host of these labs has no credentials of its own.
export function labCredentials(labs: readonly LabTarget[], env: Environment, fallback: () => Credentials): CredentialsFor {
  const resolved = new Map<string, Credentials>();
  const problems: string[] = [];
  let shared: Credentials | undefined;
  const needsWay = (lab: LabTarget) => lab.jump !== undefined || lab.hypervisor?.endpoint !== undefined;
  const sourcesOf = (lab: LabTarget) => [...(needsWay(lab) ? [lab.credentials] : []), ...ROLES.map((role) => lab.vms[role].credentials ?? lab.credentials)];
  for (const source of labs.flatMap(sourcesOf)) {
    if (!source || resolved.has(source.where)) continue;
    const result = resolveSource(source, env);
    if (Array.isArray(result)) problems.push(...result);
    else resolved.set(source.where, result);
  }
  if (labs.some((lab) => sourcesOf(lab).some((source) => source === undefined))) {
    try {
      shared = fallback();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return (lab, role) => {
    const source = role === 'way' ? lab.credentials : (lab.vms[role].credentials ?? lab.credentials);
    return (source ? resolved.get(source.where) : shared) ?? shared ?? {};
  };
}
