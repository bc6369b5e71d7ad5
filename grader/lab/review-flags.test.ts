import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseTamperSigns } from '../parse/tamper-signs.ts';
import { nonInteractivePart, reviewFlags } from './review-flags.ts';

const flagsOf = (text: string) => reviewFlags('router', parseTamperSigns(text));

describe('reviewFlags', () => {
  it('flags nothing on a VM as the reference lab leaves it (Debian\'s dotfiles, the kernel\'s /proc, dash)', () => {
    expect(flagsOf(fixture('tampering/clean-vm.txt'))).toEqual([]);
  });

  it('flags each kit of the recorded VM once, on the host, with what was seen', () => {
    const flags = flagsOf(fixture('tampering/kit-vm.txt'));
    expect(flags.map((f) => f.sign)).toEqual(['rc-hook', 'ssh-rc', 'force-command', 'proc-sys-mount', 'ld-preload', 'shell-replaced']);
    expect(flags.every((f) => f.host === 'router')).toBe(true);
    expect(flags[0]!.seen).toEqual(['1: [ -n "$BASH_EXECUTION_STRING" ] && exec /usr/local/sbin/answer "$BASH_EXECUTION_STRING"']);
    expect(flags.find((f) => f.sign === 'proc-sys-mount')!.what).toContain('/proc/sys/net/ipv4/ip_forward');
    // Neutral words: what was seen, never a charge.
    for (const f of flags) expect(f.what).not.toMatch(/cheat|forg|fake|tamper/i);
  });

  it('reads an rc file of bash only up to its interactive guard: a hook below it does not run for the grader', () => {
    const below = '@@rc /root/.bashrc\ncase $- in\n  *i*) ;;\n  *) return;;\nesac\nalias ip="ip -c"\n';
    expect(flagsOf(below)).toEqual([]);
    const above = '@@rc /root/.bashrc\nalias ping=/opt/kit/ping\ncase $- in\n  *i*) ;;\n  *) return;;\nesac\n';
    expect(flagsOf(above).map((f) => f.sign)).toEqual(['rc-hook']);
    expect(nonInteractivePart('/etc/bash.bashrc', '# comment\nexport A=1\n[ -z "$PS1" ] && return\nexec x')).toEqual([{ line: 2, text: 'export A=1' }]);
  });

  it('does not flag an honest rc top (conda, nvm, a PATH) nor a zshenv that names none of the grader\'s reads', () => {
    const honest = '@@rc /root/.bashrc\nexport PATH="$HOME/.local/bin:$PATH"\n. "$NVM_DIR/nvm.sh"\neval "$(conda shell.bash hook)"\n@@rc /root/.zshenv\nexport EDITOR=vim\n';
    expect(flagsOf(honest)).toEqual([]);
  });

  it("leaves a container runtime's read-only binds of the kernel's own /proc/sys alone, and cgroups elsewhere", () => {
    const mounts = [
      '@@mountinfo',
      '21 26 0:20 / /proc rw,relatime - proc proc rw',
      '22 21 0:20 /sys /proc/sys ro,relatime - proc proc rw',
      '23 26 0:21 / /sys ro - sysfs sysfs ro',
      '24 23 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw',
      '25 21 0:5 /null /proc/kcore rw - devtmpfs udev rw',
    ].join('\n');
    expect(flagsOf(mounts)).toEqual([]);
    expect(flagsOf(`${mounts}\n26 21 0:44 / /proc/net rw - tmpfs tmpfs rw`).map((f) => f.seen)).toEqual([['/proc/net: tmpfs tmpfs /']]);
  });

  it('flags a ~/.ssh/environment only when sshd would read it, and a login shell or /bin/sh no distribution installs', () => {
    expect(flagsOf('@@sshrc /root/.ssh/environment\nBASH_ENV=/opt/kit\n@@sshd_config\n')).toEqual([]);
    expect(flagsOf('@@sshrc /root/.ssh/environment\nBASH_ENV=/opt/kit\n@@sshd_config\nPermitUserEnvironment yes\n').map((f) => f.sign)).toEqual(['user-environment']);
    expect(flagsOf('@@shell /opt/kit/answer\n@@sh /usr/bin/bash\n').map((f) => f.sign)).toEqual(['login-shell']);
    expect(flagsOf('@@sh /usr/bin/dash\n@@sh-verify dash\n??5?????? /usr/bin/dash\n').map((f) => [f.sign, f.seen])).toEqual([['shell-modified', ['/usr/bin/dash']]]);
  });
});

describe('reviewFlags, the login shell decides which rc files run', () => {
  const hook = 'exec /opt/kit/answer "$BASH_EXECUTION_STRING"';
  it("reads bash's files for bash, zsh's zshenv for zsh, none for dash", () => {
    const text = (shell: string) => `@@shell ${shell}\n@@rc /root/.bashrc\n${hook}\n@@rc /root/.zshenv\n${hook}\n`;
    expect(flagsOf(text('/bin/bash')).map((f) => f.what.split(' ')[0])).toEqual(['/root/.bashrc']);
    expect(flagsOf(text('/usr/bin/zsh')).map((f) => f.what.split(' ')[0])).toEqual(['/root/.zshenv']);
    expect(flagsOf(text('/bin/dash'))).toEqual([]);
  });
});
