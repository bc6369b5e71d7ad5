// `node --import tsx test/support/up-and-hold.ts reference|vm NAME`: brings a lab up, prints one
// JSON line describing it, and holds it until killed (a test process that dies mid-run).
import { labUp } from '../../labs/netns/api.ts';
import { vmLabUp } from '../../labs/libvirt/api.ts';

const [kind, name] = process.argv.slice(2);
if (kind === 'vm') {
  const lab = await vmLabUp({ name: name!, guest: 'busybox' });
  process.stdout.write(`${JSON.stringify({ stateDir: lab.stateDir, slot: lab.slot, domains: Object.values(lab.domains), networks: Object.values(lab.networks).map((n) => n.name) })}\n`);
} else {
  const lab = await labUp({ name: name!, variant: 'good' });
  process.stdout.write(`${JSON.stringify({ stateDir: lab.stateDir, slot: lab.slot, namespaces: Object.values(lab.namespaces) })}\n`);
}
setInterval(() => {}, 60_000);
