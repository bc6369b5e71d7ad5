// The examples/ for CI servers and graders, run as far as a tool here can: the commands of the
// GitLab job and of the Jenkinsfile (from a checkout-like directory, against a reference lab),
// then the JUnit file their report step names must be there and valid; CodeGrade's step script
// must leave its JUnit (codegrade flavor, weights) at $CG_JUNIT_XML_LOCATION.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateJunitFile } from '../support/junit-xml.ts';
import { REPO, runCommand } from '../support/run-cli.ts';
import { suiteLab } from '../support/suite-lab.ts';

const suite = suiteLab('ciexamples', 'no-route', 'rlg-ci-');

// A shell command of an example, run where the CI server would run it: `npm run` from the
// checkout (here: npm --prefix, so that reports land in `cwd`); `npm ci` is left out.
async function runStep(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  return runCommand(['bash', '-c', command.replace(/^npm run /, `npm --prefix ${REPO} run `)], env, cwd);
}

describe('examples/gitlab-ci/.gitlab-ci.yml', () => {
  it('its script writes the JUnit that artifacts:reports:junit publishes; exit 1 is allowed, as a failed check is', async () => {
    const job = parse(await readFile(join(REPO, 'examples/gitlab-ci/.gitlab-ci.yml'), 'utf8'))['grade-class'];
    expect(job.artifacts).toMatchObject({ when: 'always', reports: { junit: 'reports/class.xml' } });
    const cwd = join(suite.dir, 'gitlab');
    await mkdir(cwd);
    const codes: Array<number | null> = [];
    for (const line of (job.script as string[]).filter((l) => !l.startsWith('npm ci'))) {
      codes.push((await runStep(line, cwd, { GRADER_INVENTORY: suite.lab.inventoryPath, GRADER_ROSTER: undefined })).code);
    }
    // no-route fails routes vm1, ping, traceroute and iperf: exit 1, which the job allows.
    expect(codes).toEqual([1]);
    expect(job.allow_failure.exit_codes).toContain(1);
    expect(await validateJunitFile(join(cwd, job.artifacts.reports.junit))).toMatchObject({ code: 0 });
  }, 120_000);
});

describe('examples/jenkins/Jenkinsfile', () => {
  it('its sh step writes, with exit 0 for a failed check, the file its junit step reads, with properties', async () => {
    const text = await readFile(join(REPO, 'examples/jenkins/Jenkinsfile'), 'utf8');
    const grade = /sh '(npm run grade[^']*)'/.exec(text)?.[1];
    const results = /junit testResults: '([^']+)', keepProperties: true/.exec(text)?.[1];
    expect(grade).toBeDefined();
    expect(results).toBe('reports/class.xml');
    const cwd = join(suite.dir, 'jenkins');
    await mkdir(cwd);
    const run = await runStep(grade!, cwd, { GRADER_INVENTORY: suite.lab.inventoryPath });
    expect(run.code).toBe(0);
    const xml = await readFile(join(cwd, results!), 'utf8');
    expect(xml).toMatch(/<testcase [^>]*name="routes vm1"[\s\S]*?<property name="points" value="0"/);
  }, 120_000);
});

describe('examples/codegrade/run-grader.sh', () => {
  it("grades the student's address.txt and leaves a weighted JUnit at $CG_JUNIT_XML_LOCATION", async () => {
    const cwd = join(suite.dir, 'codegrade');
    await mkdir(cwd);
    const a = suite.lab.addresses;
    await writeFile(join(cwd, 'address.txt'), `vm1 ${a.vm1.management}\nrouter ${a.router.management}\nvm3 ${a.vm3.management}\n`);
    const junit = join(suite.dir, 'codegrade.xml');
    const run = await runCommand([join(REPO, 'examples/codegrade/run-grader.sh')], {
      GRADER_SOURCE: REPO,
      GRADER_SSH_KEY: suite.lab.keyPath,
      GRADER_KNOWN_HOSTS: suite.lab.knownHostsPath,
      CG_JUNIT_XML_LOCATION: junit,
      GRADER_ARGS: '--only ip-forward,routes',
    }, cwd);
    expect(run.code).toBe(0);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testcase [^>]*name="routes vm1"[^>]*weight="1"/);
    expect(xml).toMatch(/<failure/);
  }, 120_000);
});
