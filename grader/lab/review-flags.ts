// From what a VM showed (grader/parse/tamper-signs.ts) to the flags an instructor reviews: each a
// way a root student could stand between the grader and the kernel, stated as what was seen, never
// as an accusation (a conda line at the top of ~/.bashrc is honest). Pure.
import type { ReviewFlag } from '../core/lab-report.ts';
import type { MountSeen, TamperSigns } from '../parse/tamper-signs.ts';

/** Lines of a flag's `seen`, and characters of each. */
const SEEN_LINES = 4;
const SEEN_CHARS = 200;

// What the grader reads or runs, as an rc file's line would name it: a hook that touches one of
// these, or that looks at the command it was started for, can answer in the grader's place.
const TOUCHES_GRADER = /ip_forward|\/proc\b|\/sys\b|snmp|statistics|\b(?:ip|ping|iperf3?|traceroute|exec|trap|enable|mount|dash)\b|\/bin\/sh\b|LD_PRELOAD|BASH_ENV|BASH_EXECUTION_STRING|SSH_ORIGINAL_COMMAND|BASH_COMMAND/;

// Where bash stops reading an rc file for a non-interactive shell: Debian's `case $- in *i*) ;; *) return;; esac`,
// `[ -z "$PS1" ] && return`, `[[ $- != *i* ]] && return`, `[ -n "$PS1" ] || return`.
const INTERACTIVE_GUARD = /^\s*(?:case\s+"?\$-"?\s+in\b|\[\[?\s+-z\s+"?\$\{?PS1\}?"?\s+\]\]?\s*&&\s*return|\[\[\s+"?\$-"?\s+!?=\s+\*i\*\s+\]\]\s*(?:&&|\|\|)\s*return|\[\[?\s+-n\s+"?\$\{?PS1\}?"?\s+\]\]?\s*\|\|\s*return|if\s+\[\[?\s+-z\s+"?\$\{?PS1\}?"?)/;

/** The part of an rc file a non-interactive shell runs: bash's files up to their interactive guard, the others whole. */
export function nonInteractivePart(path: string, text: string): Array<{ line: number; text: string }> {
  const lines = text.split('\n');
  const bash = /bashrc$/.test(path);
  const out: Array<{ line: number; text: string }> = [];
  for (const [i, raw] of lines.entries()) {
    if (bash && INTERACTIVE_GUARD.test(raw)) break;
    const code = raw.replace(/(^|\s)#.*$/, '').trim();
    if (code) out.push({ line: i + 1, text: raw.trim() });
  }
  return out;
}

const clip = (line: string) => (line.length > SEEN_CHARS ? `${line.slice(0, SEEN_CHARS - 1)}…` : line);
const seenOf = (lines: string[]) => lines.slice(0, SEEN_LINES).map(clip).concat(lines.length > SEEN_LINES ? [`(and ${lines.length - SEEN_LINES} more lines)`] : []);

// The rc files the login shell reads for a command (all of them when the shell is not known).
const RC_OF: Record<string, RegExp> = { bash: /bashrc$/, zsh: /zshenv$/, fish: /config\.fish$/ };

function rcHooks(host: string, signs: TamperSigns): ReviewFlag[] {
  const shell = signs.loginShell?.split('/').pop() ?? '';
  const ours = RC_OF[shell];
  const read = signs.loginShell && /^(?:sh|dash|ash|busybox|ksh|mksh)$/.test(shell) ? [] : signs.rcFiles.filter((f) => !ours || ours.test(f.path));
  return read.flatMap((file): ReviewFlag[] => {
    const touching = nonInteractivePart(file.path, file.text).filter((l) => TOUCHES_GRADER.test(l.text));
    if (touching.length === 0) return [];
    return [{
      host,
      sign: 'rc-hook',
      what: `${file.path} runs before every command the grader sends (before any interactive guard) and names what the grader reads or runs`,
      seen: seenOf(touching.map((l) => `${l.line}: ${l.text}`)),
    }];
  });
}

function sshHooks(host: string, signs: TamperSigns): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
  const permitsEnvironment = signs.sshdConfig.some((l) => /^PermitUserEnvironment\s+(?!no\b)\S/i.test(l));
  for (const file of signs.sshFiles) {
    if (/\/environment$/.test(file.path)) {
      if (permitsEnvironment) flags.push({ host, sign: 'user-environment', what: `${file.path} sets the environment of every command the grader sends (sshd's PermitUserEnvironment is on)`, seen: seenOf(lines(file.text)) });
    } else {
      flags.push({ host, sign: 'ssh-rc', what: `${file.path} exists: sshd runs it before every command the grader sends`, seen: seenOf(lines(file.text)) });
    }
  }
  const forced = signs.sshdConfig.filter((l) => /^ForceCommand\s/i.test(l));
  if (forced.length > 0) flags.push({ host, sign: 'force-command', what: "sshd's configuration has a ForceCommand: it runs in place of the commands the grader sends", seen: seenOf(forced) });
  return flags;
}

// The paths the grader reads under /proc and /sys, and their ancestors: a mount there can change
// what it reads. Mounts elsewhere (cgroups, a container's masks of /proc/kcore) do not matter.
const READ_PATHS = ['/proc/sys/net', '/proc/net', '/proc/self', '/sys/class/net', '/sys/devices', '/sys/bus'];

function onGraderPath(mountPoint: string): boolean {
  if (/^\/proc\/\d+(\/|$)/.test(mountPoint)) return true;
  return READ_PATHS.some((p) => p === mountPoint || p.startsWith(`${mountPoint}/`) || mountPoint.startsWith(`${p}/`));
}

// A mount of the kernel's own /proc or /sys at the place it shows, or a read-only bind of a part
// of it at that part's own place (as container runtimes do): what is read there is the kernel's.
function kernelOwn(m: MountSeen): boolean {
  for (const [top, type] of [['/proc', 'proc'], ['/sys', 'sysfs']] as const) {
    if (m.mountPoint === top || m.mountPoint.startsWith(`${top}/`)) {
      const relative = m.mountPoint === top ? '/' : m.mountPoint.slice(top.length);
      return m.fsType === type && m.root === relative;
    }
  }
  return true;
}

function mountFlags(host: string, signs: TamperSigns): ReviewFlag[] {
  const odd = signs.mounts.filter((m) => onGraderPath(m.mountPoint) || m.mountPoint === '/proc' || m.mountPoint === '/sys').filter((m) => !kernelOwn(m));
  if (odd.length === 0) return [];
  return [{
    host,
    sign: 'proc-sys-mount',
    what: `something other than the kernel's own view is mounted where the grader reads the kernel's settings and counters (${odd.map((m) => m.mountPoint).slice(0, SEEN_LINES).join(', ')})`,
    seen: seenOf(odd.map((m) => `${m.mountPoint}: ${m.fsType} ${m.source} ${m.root}`)),
  }];
}

// Shells a distribution's /bin/sh is (Debian's dash, bash, BusyBox's ash; others' bash, mksh, yash, zsh).
const SYSTEM_SH = /^(?:dash|bash|busybox|ash|mksh|yash|zsh|sh)$/;
const LOGIN_SHELLS = /^\/(?:usr\/)?bin\/(?:bash|dash|sh|zsh|fish|ksh|mksh|tcsh|csh|busybox|ash|yash|rbash)$/;

function shellFlags(host: string, signs: TamperSigns): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  if (signs.loginShell && !LOGIN_SHELLS.test(signs.loginShell)) {
    flags.push({ host, sign: 'login-shell', what: `the grader's user logs in with ${signs.loginShell}, not a shell a distribution installs: every command the grader sends starts there`, seen: [clip(signs.loginShell)] });
  }
  const name = signs.sh?.split('/').pop() ?? '';
  if (signs.sh && !SYSTEM_SH.test(name)) {
    flags.push({ host, sign: 'shell-replaced', what: `/bin/sh leads to ${signs.sh}, not a shell a distribution installs there: the grader's witness reads run in /bin/sh`, seen: [clip(signs.sh)] });
  }
  if (signs.shVerify && signs.shVerify.changed.length > 0) {
    flags.push({ host, sign: 'shell-modified', what: `dpkg --verify ${signs.shVerify.package} says files of the package /bin/sh comes from were changed since it was installed`, seen: seenOf(signs.shVerify.changed) });
  }
  return flags;
}

function preloadFlags(host: string, signs: TamperSigns): ReviewFlag[] {
  const libraries = (signs.ldPreload ?? '').split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  if (libraries.length === 0) return [];
  return [{ host, sign: 'ld-preload', what: '/etc/ld.so.preload loads a library into every program the grader runs', seen: seenOf(libraries) }];
}

export function reviewFlags(host: string, signs: TamperSigns): ReviewFlag[] {
  return [...rcHooks(host, signs), ...sshHooks(host, signs), ...mountFlags(host, signs), ...preloadFlags(host, signs), ...shellFlags(host, signs)];
}
