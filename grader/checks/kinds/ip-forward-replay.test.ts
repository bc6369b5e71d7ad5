// The ip-forward check through the transport contract on a replayed lab (no root, no sockets):
// one witness command reads ip_forward and each NIC's own forwarding (issue 25 item 3).
import { describe, expect, it } from 'vitest';
import { EXERCISE_CHECKS } from '../../../test/support/exercise-results.ts';
import { goodLab } from '../../../test/support/simulated-lab/recorded-lab.ts';
import { replayLab } from '../../../test/support/simulated-lab/replay-lab.ts';
import { gradeLab } from '../../run/grade-lab.ts';

async function ipForwardWith(nicForwarding: Record<string, string>) {
  const topology = goodLab();
  topology.router.nicForwarding = nicForwarding;
  const lab = replayLab({ topology });
  const checks = EXERCISE_CHECKS.filter((c) => c.kind.kind === 'ip-forward');
  const report = await gradeLab(lab.target, [...checks], { connect: (target) => lab.connect(target) });
  return report.results.find((r) => r.id === 'ip-forward' && r.host === 'router')!;
}

describe('ip-forward on a replayed router', () => {
  it("fails, naming the NIC, when the router's NIC toward VM3 has its own forwarding off", async () => {
    const result = await ipForwardWith({ eth2: '0' });
    expect(result).toMatchObject({ status: 'fail', reason: 'nic-forwarding-off', subject: { nics: ['eth2'] } });
    expect(result.message).toBe('net.ipv4.ip_forward = 1, but net.ipv4.conf.eth2.forwarding = 0: the router does not forward the packets that arrive on eth2 (its NIC toward VM3)');
  });

  it('passes when only the management NIC has it off (no packet of the path arrives there)', async () => {
    expect(await ipForwardWith({ eth0: '0' })).toMatchObject({ status: 'pass', reason: 'forwarding-on' });
  });
});
