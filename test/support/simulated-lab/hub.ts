// The SSH side of every simulated lab in this process. One TCP listener per role (vm1, router,
// vm3) on 127.0.0.1 serves every lab: the lab is told apart by the SSH user name (the lab's
// name), so 300 labs cost 3 listening sockets and 3 host keys. ssh2 `Server`s are never bound:
// the listeners inject their sockets into them. What must happen before the user name is known
// (no banner, another host key) gets a listener of its own for that lab and role.
import { createServer, type Server as TcpServer, type Socket } from 'node:net';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { ROLES, type Role } from '../../../grader/core/roles.ts';
import { ed25519KeyPair, type TestKeyPair } from '../ssh-keys.ts';
import { serveExec } from './exec-session.ts';
import type { LabState } from './lab-state.ts';

/** What the hub needs of a lab: its state and the sockets it must cut when the lab stops. */
export interface HubLab {
  state: LabState;
  sockets: Set<Socket>;
}

export type DedicatedMode = 'no-banner' | 'wrong-host-key';

export class SimulationHub {
  readonly hostKeys: Record<Role, TestKeyPair> = { vm1: ed25519KeyPair(), router: ed25519KeyPair(), vm3: ed25519KeyPair() };
  /** The grader's key: every lab accepts it (and only it), for its own user name. */
  readonly clientKey = ed25519KeyPair();
  readonly ports = {} as Record<Role, number>;
  readonly labs = new Map<string, HubLab>();
  private readonly listeners = new Set<TcpServer>();
  private readonly sockets = new Set<Socket>();
  private readonly genuine = new Map<Role, ssh2.Server>();
  private readonly impostors = new Map<Role, ssh2.Server>();

  async start(): Promise<void> {
    for (const role of ROLES) {
      const server = new ssh2.Server({ hostKeys: [this.hostKeys[role].private] }, (client, info) => this.onClient(role, client, info));
      this.genuine.set(role, server);
      this.ports[role] = await this.listen((socket) => server.injectSocket(socket));
    }
  }

  // A port for one lab's VM whose connection fault acts before authentication.
  async dedicatedPort(lab: HubLab, role: Role, mode: DedicatedMode): Promise<{ port: number; close(): void }> {
    let listener: TcpServer | undefined;
    const port = await this.listen((socket) => {
      lab.sockets.add(socket);
      socket.on('close', () => lab.sockets.delete(socket));
      if (mode === 'wrong-host-key') this.impostor(role).injectSocket(socket);
    }, (server) => (listener = server));
    return { port, close: () => this.closeListener(listener!) };
  }

  stats(): { labs: number; listeningSockets: number; openConnections: number } {
    return { labs: this.labs.size, listeningSockets: this.listeners.size, openConnections: this.sockets.size };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.listeners].map((l) => new Promise((resolve) => l.close(resolve))));
  }

  private impostor(role: Role): ssh2.Server {
    let server = this.impostors.get(role);
    if (!server) {
      server = new ssh2.Server({ hostKeys: [ed25519KeyPair().private] }, (client, info) => this.onClient(role, client, info));
      this.impostors.set(role, server);
    }
    return server;
  }

  private listen(onSocket: (socket: Socket) => void, onListener?: (server: TcpServer) => void): Promise<number> {
    const tcp = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => this.sockets.delete(socket));
      onSocket(socket);
    });
    this.listeners.add(tcp);
    onListener?.(tcp);
    return new Promise((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => {
        const address = tcp.address();
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('the simulated lab listener has no port'));
      });
    });
  }

  private closeListener(listener: TcpServer): void {
    this.listeners.delete(listener);
    listener.close();
  }

  private socketOf(ip: string | undefined, port: number): Socket | undefined {
    for (const socket of this.sockets) if (socket.remotePort === port && socket.remoteAddress === ip) return socket;
    return undefined;
  }

  private onClient(role: Role, client: Connection, info: { ip: string; port: number }): void {
    const socket = this.socketOf(info.ip, info.port);
    let lab: HubLab | undefined;
    client.on('error', () => undefined); // a grader that goes away is expected
    client.on('authentication', (context) => {
      const candidate = this.labs.get(context.username);
      if (!candidate || candidate.state.faults[role]?.kind === 'refuse-auth' || context.method !== 'publickey') return context.reject(['publickey']);
      if (context.key.algo !== 'ssh-ed25519' || !context.key.data.equals(this.clientKey.blob)) return context.reject(['publickey']);
      if (context.signature && !this.clientKey.parsed.verify(context.blob!, context.signature, context.hashAlgo)) return context.reject(['publickey']);
      lab = candidate;
      if (socket) {
        lab.sockets.add(socket);
        socket.on('close', () => candidate.sockets.delete(socket));
      }
      context.accept();
    });
    client.on('session', (accept, reject) => {
      if (!lab || !this.labs.has(lab.state.name)) return reject();
      const current = lab;
      accept().on('exec', (acceptExec, _reject, request) => {
        const channel: ServerChannel = acceptExec();
        serveExec(current.state, channel, request.command, { role, clientPort: info.port, dropConnection: () => socket?.destroy() });
      });
    });
  }
}

let shared: { hub: Promise<SimulationHub>; users: number } | undefined;

// The process's hub, started on first use and closed when its last lab stops.
export function acquireHub(): Promise<SimulationHub> {
  if (!shared) {
    const hub = new SimulationHub();
    shared = { hub: hub.start().then(() => hub), users: 0 };
  }
  shared.users++;
  return shared.hub;
}

export async function releaseHub(): Promise<void> {
  if (!shared) return;
  const current = shared;
  if (--current.users > 0) return;
  shared = undefined;
  await (await current.hub).close();
}

/** Cost of the simulation right now (for the report): labs, listening sockets, open connections. */
export async function hubStats(): Promise<ReturnType<SimulationHub['stats']> | undefined> {
  return shared ? (await shared.hub).stats() : undefined;
}
