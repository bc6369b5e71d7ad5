// The inventory of one submitted lab, from the student's address.txt: one line (the lab's libvirt
// host, graded through its hypervisor) or three ("vm1 ADDRESS", "router ADDRESS", "vm3 ADDRESS").
// Only checked addresses get through: nothing else of a submission reaches the grader.
// Usage: node submission-inventory.mjs address.txt inventory.yaml   (exit 1, reason on stderr)
import { readFileSync, writeFileSync } from 'node:fs';

const [file, out] = process.argv.slice(2);
const fail = (why) => {
  process.stderr.write(`${why}\n`);
  process.exit(1);
};
let text;
try {
  text = readFileSync(file, 'utf8');
} catch {
  fail(`No ${file} in the submission: submit a file address.txt with your lab's address.`);
}
const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const address = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/;
if (lines.length === 1) {
  if (!address.test(lines[0])) fail(`'${lines[0].slice(0, 80)}' is not a host name or an IPv4 address.`);
  writeFileSync(out, `labs:\n  submission:\n    hypervisor: { address: ${lines[0]} }\n`);
} else {
  const vms = {};
  for (const line of lines) {
    const [role, host, ...rest] = line.split(/\s+/);
    if (!['vm1', 'router', 'vm3'].includes(role) || !address.test(host ?? '') || rest.length > 0) {
      fail(`cannot read the line '${line.slice(0, 80)}': expected 'vm1 ADDRESS', 'router ADDRESS' or 'vm3 ADDRESS'.`);
    }
    vms[role] = host;
  }
  if (Object.keys(vms).length !== 3) fail('address.txt needs one line each for vm1, router and vm3 (or a single line: the hypervisor).');
  writeFileSync(out, `labs:\n  submission:\n${Object.entries(vms).map(([r, h]) => `    ${r}: { address: ${h} }`).join('\n')}\n`);
}
