import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import { parseDpkgVerify, parseMountinfo, parseTamperSigns } from './tamper-signs.ts';

describe('parseTamperSigns, on recorded outputs (fixtures/record-tampering.sh)', () => {
  it('reads a VM as the reference lab leaves it: bash, its rc files, no sshd hook, the kernel\'s /proc and /sys, dash verified', () => {
    const signs = parseTamperSigns(fixture('tampering/clean-vm.txt'));
    expect(signs.loginShell).toBe('/bin/bash');
    // The recording machine has zsh and fish installed: their system files are read too.
    expect(signs.rcFiles.map((f) => f.path)).toEqual(['/root/.bashrc', '/etc/bash.bashrc', '/etc/zsh/zshenv', '/etc/fish/config.fish']);
    expect(signs.rcFiles[1]!.text).toContain('[ -z "$PS1" ] && return');
    expect(signs.sshFiles).toEqual([]);
    expect(signs.sshdConfig).toEqual([]);
    expect(signs.ldPreload).toBeUndefined();
    expect(signs.mounts.map((m) => [m.mountPoint, m.fsType, m.root])).toEqual([['/proc', 'proc', '/'], ['/sys', 'sysfs', '/']]);
    expect(signs.sh).toBe('/usr/bin/dash');
    expect(signs.shVerify).toEqual({ package: 'dash', changed: [] });
  });

  it('reads every kit of the recording: the rc hook, ~/.ssh/rc, ForceCommand, ld.so.preload, the bind mount over ip_forward, another /bin/sh', () => {
    const signs = parseTamperSigns(fixture('tampering/kit-vm.txt'));
    expect(signs.rcFiles[0]!.text.split('\n')[0]).toBe('[ -n "$BASH_EXECUTION_STRING" ] && exec /usr/local/sbin/answer "$BASH_EXECUTION_STRING"');
    expect(signs.sshFiles.map((f) => f.path)).toEqual(['/root/.ssh/rc']);
    expect(signs.sshFiles[0]!.text).toContain('exec /usr/local/sbin/answer');
    expect(signs.sshdConfig).toEqual(['ForceCommand /usr/local/sbin/answer']);
    expect(signs.ldPreload).toBe('/usr/local/lib/libfx.so');
    expect(signs.mounts.find((m) => m.mountPoint === '/proc/sys/net/ipv4/ip_forward')).toMatchObject({ fsType: 'ext4', source: '/dev/vda' });
    expect(signs.sh).toBe('/usr/bin/fxsh');
    expect(signs.shVerify).toBeUndefined();
  });

  it('unescapes mountinfo\'s octal escapes and skips lines that are not mounts', () => {
    const mounts = parseMountinfo('51 58 254:0 /tmp/a\\040b /proc/sys/net/ipv4/ip_forward rw - ext4 /dev/vda rw\nnot a mount line\n');
    expect(mounts).toEqual([{ root: '/tmp/a b', mountPoint: '/proc/sys/net/ipv4/ip_forward', fsType: 'ext4', source: '/dev/vda' }]);
  });

  it('takes from dpkg --verify the changed files only (not its complaints about a package that is not there)', () => {
    expect(parseDpkgVerify("??5?????? /usr/bin/dash\n??5?????? c /etc/dash.conf\ndpkg: package 'busybox' is not installed\n")).toEqual(['/usr/bin/dash', '/etc/dash.conf']);
  });

  it('reads nothing from an empty or unrelated output', () => {
    expect(parseTamperSigns('')).toEqual({ rcFiles: [], sshFiles: [], sshdConfig: [], mounts: [] });
    expect(parseTamperSigns('Welcome to vm1\n')).toEqual({ rcFiles: [], sshFiles: [], sshdConfig: [], mounts: [] });
  });
});
