// Quoting for a remote command line that any login shell parses the same way (sh, dash, bash,
// zsh, fish): single quotes, with `'` and `\` taken out into double quotes, since fish treats
// `\'` and `\\` inside single quotes as escapes where POSIX shells do not.
export function quote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/['\\]/g, (c) => `'"${c === '\\' ? '\\\\' : c}"'`)}'`;
}

// Tagged template for command lines: every interpolated value is quoted; arrays become several
// quoted words. `sh\`ip route get ${address}\`` can never run what `address` contains.
export function sh(strings: TemplateStringsArray, ...values: Array<string | number | readonly (string | number)[]>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const words = Array.isArray(value) ? value : [value];
    out += words.map((w) => quote(String(w))).join(' ') + (strings[i + 1] ?? '');
  });
  return out;
}
