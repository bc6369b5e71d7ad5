import { createServer, type Socket } from 'node:net';
import { Server, type ServerChannel } from 'ssh2';
import { fingerprintSha256 } from '../../grader/transport/known-hosts.ts';
import { ed25519KeyPair } from './ssh-keys.ts';

// How the server misbehaves:
// - silent: accepts TCP and never sends a byte (no SSH banner);
// - refuse-auth: rejects every authentication attempt;
// - hang-on-exec: accepts the command and never answers;
// - drop-mid-command: prints a line, then drops the TCP connection;
// - freeze-on-exec: stops reading and answering altogether (a VM that froze, a cable pulled);
// - flood: prints without end;
// - well-behaved: on its first line of input, prints `ran: REQUEST` on stdout, `warning` on stderr and exits 3.
// Each server has its own fresh host key, so a known_hosts line for another server's key (or
// for sshd's) makes it "present a different host key".
export type FaultMode = 'silent' | 'refuse-auth' | 'hang-on-exec' | 'drop-mid-command' | 'freeze-on-exec' | 'flood' | 'well-behaved';

export interface FaultServer {
  host: '127.0.0.1';
  port: number;
  hostKeyBlob: Buffer;
  fingerprint: string;
  /** Exec requests received, in order. */
  commands: string[];
  /** What the client wrote on the channels' stdin, in order. */
  input: string[];
  stop(): Promise<void>;
}

const FLOOD_CHUNK = Buffer.alloc(64 * 1024, 'y\n');

export async function startFaultServer(mode: FaultMode): Promise<FaultServer> {
  const hostKey = ed25519KeyPair();
  const hostKeyBlob = hostKey.blob;
  const sockets = new Set<Socket>();
  const commands: string[] = [];
  const input: string[] = [];
  const ssh = new Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('error', () => undefined); // a client that goes away is expected here
    client.on('authentication', (context) => (mode === 'refuse-auth' ? context.reject(['publickey', 'password']) : context.accept()));
    client.on('session', (acceptSession) => {
      acceptSession().on('exec', (acceptExec, _reject, info) => {
        commands.push(info.command);
        const channel = acceptExec();
        channel.on('error', () => undefined);
        channel.on('data', (chunk: Buffer) => input.push(chunk.toString()));
        misbehave(mode, channel, info.command, {
          drop: () => sockets.forEach((s) => s.destroy()),
          freeze: () => sockets.forEach((s) => s.pause()),
        });
      });
    });
  });
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    if (mode !== 'silent') ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  const address = tcp.address();
  if (typeof address !== 'object' || address === null) throw new Error('fault server has no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    hostKeyBlob,
    fingerprint: fingerprintSha256(hostKeyBlob),
    commands,
    input,
    stop: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        tcp.close(() => resolve());
      }),
  };
}

function misbehave(mode: FaultMode, channel: ServerChannel, command: string, connection: { drop(): void; freeze(): void }): void {
  switch (mode) {
    case 'well-behaved': // answers the first line it is sent as if that were a program's output
      channel.once('data', () => {
        channel.write(`ran: ${command}\n`);
        channel.stderr.write('warning\n');
        channel.exit(3);
        channel.end();
      });
      return;
    case 'drop-mid-command':
      channel.write('partial output\n');
      setTimeout(connection.drop, 300);
      return;
    case 'freeze-on-exec':
      connection.freeze();
      return;
    case 'flood': {
      const pump = () => {
        while (!channel.destroyed && channel.writable) {
          if (!channel.write(FLOOD_CHUNK)) return void channel.once('drain', pump);
        }
      };
      pump();
      return;
    }
    default:
      return; // hang-on-exec: say nothing, ever
  }
}
