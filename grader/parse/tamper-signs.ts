// What a VM shows of the ways a root student can stand between the grader and the kernel: the
// login shell and its rc files that run for a non-interactive command, sshd's own hooks (~/.ssh/rc,
// /etc/ssh/sshrc, ForceCommand, a user environment), /etc/ld.so.preload, mounts over /proc or /sys,
// and what /bin/sh is. One command, read-only, through the VM's command session after the checks;
// the parser is pure (grader/lab/review-flags.ts decides what to show the instructor).

/** Bytes read of each file: enough for an rc file's top, where a hook must be to run before an interactive guard. */
const RC_BYTES = 8192;

export const TAMPER_COMMAND = [
  'echo "@@shell $(getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)"',
  `for f in "$HOME/.bashrc" /etc/bash.bashrc "$HOME/.zshenv" /etc/zsh/zshenv "$HOME/.config/fish/config.fish" /etc/fish/config.fish; do [ -f "$f" ] && [ -r "$f" ] && { echo "@@rc $f"; head -c ${RC_BYTES} "$f"; echo; }; done`,
  'for f in "$HOME/.ssh/rc" /etc/ssh/sshrc "$HOME/.ssh/environment"; do [ -e "$f" ] && { echo "@@sshrc $f"; head -c 1024 "$f" 2>&1; echo; }; done',
  'echo @@sshd_config',
  "grep -hiE '^[[:space:]]*(ForceCommand|PermitUserEnvironment)[[:space:]]' /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf 2>/dev/null | head -20",
  'echo @@ld.so.preload',
  '[ -e /etc/ld.so.preload ] && head -c 1024 /etc/ld.so.preload',
  'echo @@mountinfo',
  "grep -E '^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /(proc|sys)(/[^ ]*)? ' /proc/self/mountinfo | head -200",
  't=$(readlink -f /bin/sh); echo "@@sh $t"',
  'case "${t##*/}" in dash|bash|busybox) command -v dpkg >/dev/null 2>&1 && { echo "@@sh-verify ${t##*/}"; dpkg --verify "${t##*/}" 2>&1 | head -20; } ;; esac',
  'true',
].join('; ');

export interface FileSeen {
  path: string;
  text: string;
}

/** One line of /proc/self/mountinfo: what is mounted where, the part of its filesystem, its type. */
export interface MountSeen {
  mountPoint: string;
  root: string;
  fsType: string;
  source: string;
}

export interface TamperSigns {
  /** The login shell of the grader's user (/etc/passwd). */
  loginShell?: string;
  /** Shell rc files as read (their first RC_BYTES bytes). */
  rcFiles: FileSeen[];
  /** ~/.ssh/rc, /etc/ssh/sshrc, ~/.ssh/environment: present, with their start. */
  sshFiles: FileSeen[];
  /** ForceCommand and PermitUserEnvironment lines of sshd_config and sshd_config.d. */
  sshdConfig: string[];
  /** /etc/ld.so.preload's content, when the file exists. */
  ldPreload?: string;
  /** Mounts on /proc, /sys and below. */
  mounts: MountSeen[];
  /** Where /bin/sh leads (readlink -f). */
  sh?: string;
  /** `dpkg --verify` of the package /bin/sh is, when dpkg was there: the files it says changed. */
  shVerify?: { package: string; changed: string[] };
}

interface Section {
  name: string;
  arg: string;
  body: string;
}

const NAMES = new Set(['shell', 'rc', 'sshrc', 'sshd_config', 'ld.so.preload', 'mountinfo', 'sh', 'sh-verify']);

// Sections start at a line `@@name arg`; a file's own `@@` lines stay in its body (unknown names).
function sections(text: string): Section[] {
  const out: Section[] = [];
  for (const line of text.split('\n')) {
    const head = /^@@(\S+)(?: (.*))?$/.exec(line);
    if (head && NAMES.has(head[1]!)) out.push({ name: head[1]!, arg: (head[2] ?? '').trim(), body: '' });
    else if (out.length > 0) out[out.length - 1]!.body += `${line}\n`;
  }
  return out.map((s) => ({ ...s, body: s.body.replace(/\n$/, '') }));
}

// mountinfo escapes space, tab, newline and backslash as octal.
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountSeen[] {
  const mounts: MountSeen[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    if (fields.length < 7 || dash < 6) continue;
    mounts.push({ root: unescape(fields[3]!), mountPoint: unescape(fields[4]!), fsType: fields[dash + 1] ?? '', source: unescape(fields[dash + 2] ?? '') });
  }
  return mounts;
}

// `dpkg --verify` prints one line per changed file: nine flags (`??5??????`), an optional
// attribute (`c` for a conffile), the path. Anything else (a package not installed) is not a change.
export function parseDpkgVerify(text: string): string[] {
  return [...text.matchAll(/^[?.\w]{9} +(?:[cdglr] )?(\/\S.*)$/gm)].map((m) => m[1]!.trim());
}

export function parseTamperSigns(text: string): TamperSigns {
  const all = sections(text);
  const one = (name: string) => all.find((s) => s.name === name);
  const shell = one('shell')?.arg;
  const preload = one('ld.so.preload');
  const sh = one('sh')?.arg;
  const verify = one('sh-verify');
  return {
    ...(shell ? { loginShell: shell } : {}),
    rcFiles: all.filter((s) => s.name === 'rc' && s.arg).map((s) => ({ path: s.arg, text: s.body })),
    sshFiles: all.filter((s) => s.name === 'sshrc' && s.arg).map((s) => ({ path: s.arg, text: s.body })),
    sshdConfig: (one('sshd_config')?.body ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
    ...(preload && preload.body.trim() ? { ldPreload: preload.body.trim() } : {}),
    mounts: parseMountinfo(one('mountinfo')?.body ?? ''),
    ...(sh ? { sh } : {}),
    ...(verify && verify.arg ? { shVerify: { package: verify.arg, changed: parseDpkgVerify(verify.body) } } : {}),
  };
}
