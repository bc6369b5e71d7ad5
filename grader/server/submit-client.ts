import net from 'node:net';
import tls from 'node:tls';
import type { Duplex, Writable } from 'node:stream';
import ssh2 from 'ssh2';
import type { Role } from '../core/roles.ts';
import { fingerprintSha256 } from '../transport/known-hosts.ts';
import { SUBMIT_USER } from './ssh-gateway.ts';
import { SUBMIT_COMMAND, vmAddressKey, type AnnouncedVm } from './submit-request.ts';
import { serveVirshChannel, virshAnswerer, type RunVirsh, type StudentHypervisor } from './virsh-relay-client.ts';
import { VIRSH_RELAY_HOST, VIRSH_RELAY_PORT } from './virsh-relay-protocol.ts';

export interface SubmitOptions {
  /** The course server's URL (`https://...` for TLS, `http://...` plain). */
  url: string;
  token: string;
  /** The lab's name when the client knows it (an inventory's). */
  lab?: string;
  vms: Record<Role, AnnouncedVm>;
  /** This machine is the lab's hypervisor: relay the grader's read-only virsh queries about these domains (and nothing else). */
  hypervisor?: StudentHypervisor & { run?: RunVirsh };
  color: boolean;
  width?: number;
  stdout: Writable;
  stderr: Writable;
  readyTimeoutMs?: number;
  /** Called with each stream the client relays to a VM. */
  onRelay?: (stream: Duplex) => void;
  /** Whether the server's SSH host key (its SHA256 fingerprint) is the course's; when false, nothing is sent. */
  acceptServerKey?: (fingerprint: string) => boolean;
  /** Aborting cuts the connection to the server at once (Ctrl-C; a test's dropped tunnel). */
  signal?: AbortSignal;
}

export type SubmitOutcome = { kind: 'answered'; exitCode: number } | { kind: 'refused-token' } | { kind: 'wrong-server-key' } | { kind: 'unreachable'; reason: string } | { kind: 'dropped' };

/** How the student's file of pinned servers names a server: host:port. */
export function serverAddress(endpoint: { host: string; port: number }): string {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

/** Where the URL points: host, port, TLS or not. Throws a one-line Error for a URL that is none. */
export function serverEndpoint(url: string): { host: string; port: number; tls: boolean } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`'${url}' is not a URL (e.g. https://grader.example.edu)`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`'${url}' is not an http:// or https:// URL`);
  const secure = parsed.protocol === 'https:';
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port ? Number(parsed.port) : secure ? 443 : 80, tls: secure };
}

function openSocket(endpoint: { host: string; port: number; tls: boolean }): Duplex {
  return endpoint.tls ? tls.connect({ host: endpoint.host, port: endpoint.port, servername: net.isIP(endpoint.host) ? undefined : endpoint.host }) : net.connect({ host: endpoint.host, port: endpoint.port });
}

// The student's side of submit: one outbound connection to the course server, on which it asks
// for remote forwarding of its three VMs' SSH ports and runs `submit`. It opens streams to those
// three host:port pairs only, when the server asks, and never runs anything the server says.
export function submitLab(options: SubmitOptions): Promise<SubmitOutcome> {
  const endpoint = serverEndpoint(options.url);
  const allowed = new Map(Object.values(options.vms).map((vm) => [vmAddressKey(vm.host, vm.port), vm]));
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let settled = false;
    let ready = false;
    let keyRefused = false;
    const settle = (outcome: SubmitOutcome) => {
      if (settled) return;
      settled = true;
      client.end();
      resolve(outcome);
    };
    client.on('error', (error: Error & { level?: string }) => {
      if (keyRefused) settle({ kind: 'wrong-server-key' });
      else if (error.level === 'client-authentication') settle({ kind: 'refused-token' });
      else if (!ready) settle({ kind: 'unreachable', reason: error.message });
      else settle({ kind: 'dropped' });
    });
    client.on('close', () => settle(keyRefused ? { kind: 'wrong-server-key' } : ready ? { kind: 'dropped' } : { kind: 'unreachable', reason: 'the server closed the connection' }));
    const answerVirsh = options.hypervisor ? virshAnswerer(options.hypervisor, options.hypervisor.run) : undefined;
    client.on('tcp connection', (info, accept, reject) => {
      if (info.destIP === VIRSH_RELAY_HOST && info.destPort === VIRSH_RELAY_PORT) {
        if (!answerVirsh) return reject();
        serveVirshChannel(accept(), answerVirsh);
        return;
      }
      const vm = allowed.get(vmAddressKey(info.destIP, info.destPort));
      if (!vm) return reject();
      const upstream = net.connect({ host: vm.host, port: vm.port });
      upstream.once('connect', () => {
        const stream = accept();
        options.onRelay?.(stream);
        stream.on('error', () => upstream.destroy());
        upstream.on('error', () => stream.destroy());
        stream.pipe(upstream).pipe(stream);
      });
      upstream.once('error', () => reject());
    });
    client.on('ready', () => {
      ready = true;
      const vms = [...allowed.values()];
      let pending = vms.length + (answerVirsh ? 1 : 0);
      if (answerVirsh) {
        client.forwardIn(VIRSH_RELAY_HOST, VIRSH_RELAY_PORT, (error) => {
          if (error) return settle({ kind: 'unreachable', reason: 'the server refused the relay of virsh queries' });
          if (--pending === 0) run();
        });
      }
      for (const vm of vms) {
        client.forwardIn(vm.host, vm.port, (error) => {
          if (error) return settle({ kind: 'unreachable', reason: `the server refused to relay ${vm.host}:${vm.port}` });
          if (--pending === 0) run();
        });
      }
    });
    const run = () => {
      const domains = options.hypervisor ? { domains: options.hypervisor.domains } : {};
      const body = { ...(options.lab ? { lab: options.lab } : {}), vms: options.vms, ...domains, color: options.color, ...(options.width ? { width: options.width } : {}) };
      client.exec(`${SUBMIT_COMMAND} ${JSON.stringify(body)}`, (error, channel) => {
        if (error) return settle({ kind: 'dropped' });
        let exitCode: number | undefined;
        channel.on('exit', (code: number | null) => (exitCode = code ?? undefined));
        channel.stdout.pipe(options.stdout, { end: false });
        channel.stderr.pipe(options.stderr, { end: false });
        channel.on('close', () => settle(exitCode === undefined ? { kind: 'dropped' } : { kind: 'answered', exitCode }));
      });
    };
    const sock = openSocket(endpoint);
    options.signal?.addEventListener('abort', () => sock.destroy());
    client.connect({
      sock,
      username: SUBMIT_USER,
      password: options.token,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        keyRefused = !(options.acceptServerKey?.(fingerprintSha256(key)) ?? true);
        return !keyRefused;
      },
    });
  });
}
