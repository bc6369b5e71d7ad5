// Shell-style globs as OpenSSH's known_hosts and the class commands' --host use them: `*` is any
// run of characters (also none), `?` exactly one; every other character stands for itself.

export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function globMatches(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
