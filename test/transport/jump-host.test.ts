// A VM reached through a jump host: two OpenSSH servers on loopback, the second behind the first.
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatKnownHostsLine, KnownHosts } from '../../grader/transport/known-hosts.ts';
import { connectHost, connectJump, type ConnectOptions } from '../../grader/transport/ssh-host.ts';
import { startFaultServer } from '../support/fault-server.ts';
import { startSshd, type TestSshd } from '../support/sshd.ts';
import { Closer, endpointOf, tempKnownHostsPath } from '../support/transport.ts';

let jumpSshd: TestSshd;
let vmSshd: TestSshd;
let knownHosts: { path: string; cleanup(): Promise<void> };
const closer = new Closer();

beforeAll(async () => {
  [jumpSshd, vmSshd] = await Promise.all([startSshd(), startSshd()]);
  knownHosts = await tempKnownHostsPath();
});
afterEach(() => closer.closeAll());
afterAll(async () => {
  await Promise.all([jumpSshd?.stop(), vmSshd?.stop()]);
  await knownHosts?.cleanup();
});

async function options(server: TestSshd): Promise<ConnectOptions> {
  return {
    endpoint: endpointOf(server),
    credentials: { privateKey: server.clientKey },
    knownHosts: await KnownHosts.load(knownHosts.path),
    hostKeyPolicy: 'accept-new',
    readyTimeoutMs: 20_000,
  };
}

describe('through a jump host', () => {
  it('runs a command on the VM behind it, recording the VM under its own address', async () => {
    const jump = closer.add(await connectJump(await options(jumpSshd)));
    const vm = closer.add(await connectHost({ ...(await options(vmSshd)), role: 'vm1', via: jump }));
    expect(await vm.run('echo behind the jump host')).toMatchObject({ exitCode: 0, stdout: 'behind the jump host\n' });
    const lines = await readFile(knownHosts.path, 'utf8');
    expect(lines).toContain(formatKnownHostsLine('127.0.0.1', vmSshd.port, vmSshd.hostKeyType, vmSshd.hostKeyBlob, { firstUse: true }));
    expect(lines).toContain(formatKnownHostsLine('127.0.0.1', jumpSshd.port, jumpSshd.hostKeyType, jumpSshd.hostKeyBlob, { firstUse: true }));
  });

  it('the VM connection travels inside the jump connection: closing the jump host closes it', async () => {
    const jump = await connectJump(await options(jumpSshd));
    const vm = closer.add(await connectHost({ ...(await options(vmSshd)), role: 'vm3', via: jump }));
    await jump.close();
    await expect(vm.run('true')).rejects.toMatchObject({ role: 'vm3', failure: 'closed' });
  });

  it('a VM the jump host cannot reach fails with "unreachable" for that VM', async () => {
    const jump = closer.add(await connectJump(await options(jumpSshd)));
    const gone = await startFaultServer('silent');
    await gone.stop();
    const error = await connectHost({ ...(await options(vmSshd)), endpoint: endpointOf(gone), role: 'router', via: jump }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HostUnavailableError', role: 'router', failure: 'unreachable' });
    expect((error as Error).message).toContain(`127.0.0.1:${gone.port} through the jump host 127.0.0.1:${jumpSshd.port}`);
  });
});
