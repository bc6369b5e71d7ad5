// Records what the diagnosis reads on a reference-lab variant, for the unit tests of the
// diagnosis (fixtures/diagnose/NAME.json): `sudo npx tsx test/support/record-diagnosis-state.ts
// VARIANT NAME [ROLE 'command' ...]` brings the variant up, runs each extra command inside that
// VM's namespace (a second mistake), grades it, writes the state and tears the lab down.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parse as parseDotenv } from 'dotenv';
import { credentialsFromEnv } from '../../grader/config/credentials-from-env.ts';
import { findLab, loadInventory } from '../../grader/config/inventory.ts';
import { gradeLab } from '../../grader/run/grade-lab.ts';
import { KnownHosts } from '../../grader/transport/known-hosts.ts';
import type { DiagnosisInput } from '../../grader/diagnose/diagnose.ts';
import { labUp, type Variant } from '../../labs/netns/api.ts';
import { exerciseChecks } from '../e2e/lab-runs.ts';

const [variant, name, ...extra] = process.argv.slice(2);
if (!variant || !name) throw new Error('usage: record-diagnosis-state.ts VARIANT NAME [ROLE COMMAND]...');
const handle = await labUp({ name: `rec-${process.pid}`, variant: variant as Variant });
try {
  for (let i = 0; i + 1 < extra.length; i += 2) {
    const ns = handle.namespaces[extra[i] as 'vm1' | 'router' | 'vm3'];
    execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', extra[i + 1]!], { stdio: 'inherit' });
  }
  const env = parseDotenv(readFileSync(handle.envPath));
  const lab = findLab(await loadInventory(handle.inventoryPath), handle.name);
  let input: DiagnosisInput | undefined;
  const report = await gradeLab(lab, await exerciseChecks(), {
    credentials: credentialsFromEnv(env),
    knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS!),
    hostKeyPolicy: 'strict',
    onDiagnosisInput: (i) => (input = i),
  });
  const hosts = [...(input?.hosts ?? [])].map((h) => ('facts' in h ? { role: h.role, target: h.target, facts: h.facts } : h));
  const state = { recorded: { variant, extra, date: new Date().toISOString().slice(0, 10) }, addresses: handle.addresses, ...input, hosts };
  writeFileSync(`fixtures/diagnose/${name}.json`, `${JSON.stringify(state, null, 1)}\n`);
  for (const d of report.diagnoses ?? []) console.log(`${name}: ${d.cause} ${d.host} ${d.nic ?? '-'} | ${d.summary} | ${d.fix.join(' ; ')} | ${d.results.join(',')}`);
} finally {
  await handle.down();
}
