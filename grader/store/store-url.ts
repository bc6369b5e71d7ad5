// Where a course record is: a PostgreSQL URL, or else a folder.
export const isPostgresUrl = (where: string) => /^postgres(ql)?:\/\//i.test(where);

// A PostgreSQL URL as it may be shown: without its password.
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
