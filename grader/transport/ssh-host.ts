import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type AuthHandlerMiddleware, type ConnectConfig } from 'ssh2';
import type { Role } from '../core/roles.ts';
import { connectFailure, type ConnectAttempt, type Ssh2Error } from './connect-failure.ts';
import { authMethods, describeAuthMethods, UnusableKeyError, type Credentials } from './credentials.ts';
import { agentKeyCount } from './agent-keys.ts';
import { hostKeyAlgorithms, presentedKey, verifyHostKey } from './host-key-policy.ts';
import { FIRST_USE_MARK, keyTypeOf, type HostKeyPolicy, type KnownHosts } from './known-hosts.ts';
import { HostUnavailableError, type RemoteHost } from './remote-host.ts';
import { SshConnection } from './ssh-connection.ts';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
}

export interface ConnectOptions {
  endpoint: SshEndpoint;
  credentials: Credentials;
  knownHosts: KnownHosts;
  hostKeyPolicy: HostKeyPolicy;
  /** TCP connection, SSH handshake and authentication must all be done within this. @default 10_000 */
  readyTimeoutMs?: number;
  /** Exec channels open at once on the connection; further commands queue. @default 6 */
  maxChannels?: number;
  /** Witness channels opened at connection time (SshConnection). @default WITNESS_SPARES of the role */
  witnessSpares?: number;
  /** Command sessions opened at connection time. @default PREWARMED_SESSIONS of the role */
  prewarmedSessions?: number;
}

export interface HostConnectOptions extends ConnectOptions {
  role: Role;
  /** Reach the VM through this host; its known_hosts name is still `endpoint` as written. */
  via?: JumpHost | undefined;
}

// A host the grader reaches the VMs through (the hypervisor, say). Close it after the VMs.
export interface JumpHost extends Omit<RemoteHost, 'role'> {
  readonly role: 'jump';
  tunnel(role: Role | 'jump', host: string, port: number, timeoutMs: number): Promise<Duplex>;
}

// Witness channels each role's connection opens at connection time (SshConnection), each serving
// read after read. The router answers the witness reads of the traffic checks (its counters before
// and after ping, traceroute and iperf) and ip_forward, one at a time but for a recheck beside
// another: two. The target of the traffic (VM3) counts what reached it at the same moments
// (grader/checks/target-counters.ts), one read at a time: one.
export const WITNESS_SPARES: Readonly<Partial<Record<Role | 'jump', number>>> = { router: 2, vm3: 1 };
// Command sessions each VM's connection opens at once: the first command (discovery) takes one,
// and the inspections that run together on a VM (its NICs' drivers beside its routes) the other,
// whose login shell has then already run. A jump host carries tunnels and opens them when needed.
export const PREWARMED_SESSIONS: Readonly<Partial<Record<Role | 'jump', number>>> = { vm1: 2, router: 2, vm3: 2 };

const KEEPALIVE_INTERVAL_MS = 5_000;
const KEEPALIVE_COUNT_MAX = 3;
const DEFAULT_READY_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CHANNELS = 6;
// After an error, how long to wait for ssh2's 'close' before giving up on the socket.
const ERROR_CLOSE_WAIT_MS = 2_000;

// Connects to a VM (directly or through a jump host). Rejects with HostUnavailableError.
export async function connectHost(options: HostConnectOptions): Promise<RemoteHost> {
  const { role, endpoint, via } = options;
  if (!via) return openConnection(role, options);
  const sock = await via.tunnel(role, endpoint.host, endpoint.port, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  return openConnection(role, options, { sock, jumpTarget: via.target });
}

// Connects to a host that leads further (a jump host, a hypervisor), itself through `via` if given.
export async function connectJump(options: ConnectOptions & { role?: 'jump'; via?: JumpHost | undefined }): Promise<JumpHost> {
  if (!options.via) return openConnection('jump', options);
  const sock = await options.via.tunnel('jump', options.endpoint.host, options.endpoint.port, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  return openConnection('jump', options, { sock, jumpTarget: options.via.target });
}

export function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

async function openConnection<R extends Role | 'jump'>(
  role: R,
  options: ConnectOptions,
  tunnel?: { sock: Duplex; jumpTarget: string },
): Promise<SshConnection<R>> {
  const { endpoint, credentials, knownHosts, hostKeyPolicy } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const address = formatTarget(endpoint.host, endpoint.port);
  const target = `${endpoint.user}@${address}${tunnel ? ` (through the jump host ${tunnel.jumpTarget})` : ''}`;
  const sock = tunnel?.sock;
  let auth: AnyAuthMethod[];
  try {
    auth = authMethods(endpoint.user, credentials);
  } catch (error) {
    sock?.destroy();
    if (error instanceof UnusableKeyError) throw new HostUnavailableError(role, 'auth', `${error.message} (connecting to ${target})`);
    throw error;
  }

  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const attempt: ConnectAttempt = { role, target, phase: sock ? 'handshake' : 'tcp', timeoutMs: readyTimeoutMs, tried: describeAuthMethods(credentials) };
    let hostKeyRefusal: string | undefined;
    // A password goes only to a host whose key was vouched for in known_hosts before this
    // connection: an unknown key, or one accept-new recorded on first use (now or in an earlier
    // run), may be a student's own sshd that refuses the key to collect the password.
    let hostKeyTrusted = false;
    // Under accept-new, an unknown key is recorded once the grader has authenticated, never before.
    let recordOnReady: Buffer | undefined;
    let passwordWithheld: string | undefined;
    let hostKeyRecordedOnFirstUse = false;
    let next = 0;
    const authHandler: AuthHandlerMiddleware = () => {
      for (let method = auth[next++]; method; method = auth[next++]) {
        if (method.type !== 'password' || hostKeyTrusted) return method;
        passwordWithheld = `not sent: the host key of ${address} was not already known and trusted${hostKeyPolicy === 'off' ? ' (host key checking is off)' : hostKeyRecordedOnFirstUse ? ` (it was recorded on first use in ${knownHosts.path}; delete that line's ${FIRST_USE_MARK} to vouch for it)` : ` in ${knownHosts.path}`}`;
      }
      return false;
    };
    let hostKey: string | undefined;
    let firstError: Ssh2Error | undefined;
    let connected = false;

    client.on('connect', () => {
      attempt.phase = 'handshake';
      client.setNoDelay(true);
    });
    client.on('handshake', () => (attempt.phase = 'auth'));
    client.on('error', (error: Ssh2Error) => {
      if (connected) return;
      // An agent that fails is followed by the next method; anything else ends the attempt.
      if (!firstError || firstError.level === 'agent') firstError = error;
      if (error.level !== 'agent') setTimeout(() => client.destroy(), ERROR_CLOSE_WAIT_MS).unref();
    });
    client.once('ready', () => {
      connected = true;
      const connection = new SshConnection(role, address, client, options.maxChannels ?? DEFAULT_MAX_CHANNELS, hostKey, options.witnessSpares ?? WITNESS_SPARES[role] ?? 0, options.prewarmedSessions ?? PREWARMED_SESSIONS[role] ?? 0);
      if (!recordOnReady) return resolve(connection);
      knownHosts.add(endpoint.host, endpoint.port, keyTypeOf(recordOnReady), recordOnReady, { firstUse: true }).then(
        () => resolve(connection),
        (error: Error) => {
          void connection.close();
          reject(new HostUnavailableError(role, 'host-key', `cannot record the host key of ${address} in ${knownHosts.path}: ${error.message}`));
        },
      );
    });
    client.once('close', () => {
      if (connected) return;
      const fail = (agentKeys?: number) => {
        const tried = describeAuthMethods(credentials, { ...(agentKeys === undefined ? {} : { agentKeys }), ...(passwordWithheld ? { passwordWithheld } : {}) });
        reject(connectFailure({ ...attempt, tried, hostKeyRefusal }, firstError));
      };
      if (credentials.agent && attempt.phase === 'auth') agentKeyCount(credentials.agent).then(fail, () => fail());
      else fail();
    });

    const config: ConnectConfig = {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      ...(sock ? { sock } : {}),
      authHandler,
      readyTimeout: readyTimeoutMs,
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: (keyBlob: Buffer) => {
        const verdict = knownHosts.check(endpoint.host, endpoint.port, keyTypeOf(keyBlob), keyBlob);
        hostKeyTrusted = hostKeyPolicy !== 'off' && knownHosts.vouchedFor(endpoint.host, endpoint.port, keyTypeOf(keyBlob), keyBlob);
        hostKeyRecordedOnFirstUse = hostKeyPolicy !== 'off' && verdict === 'match' && !hostKeyTrusted;
        if (hostKeyPolicy === 'accept-new' && verdict === 'unknown') recordOnReady = keyBlob;
        hostKey = presentedKey(keyBlob);
        hostKeyRefusal = verifyHostKey(knownHosts, hostKeyPolicy, { host: endpoint.host, port: endpoint.port, keyBlob });
        return hostKeyRefusal === undefined;
      },
    };
    if (hostKeyPolicy !== 'off') {
      const knownTypes = knownHosts.lookup(endpoint.host, endpoint.port).filter((e) => !e.revoked).map((e) => e.keyType);
      config.algorithms = { serverHostKey: hostKeyAlgorithms(knownTypes) };
    }
    try {
      client.connect(config);
    } catch (error) {
      sock?.destroy();
      reject(new HostUnavailableError(role, 'protocol', `cannot start an SSH connection to ${target}: ${(error as Error).message}`));
    }
  });
}
