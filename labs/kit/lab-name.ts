// What both labs (labs/netns/, labs/libvirt/) accept as a lab's name: it becomes part of state
// directories, libvirt network names and namespace names, so it is kept short and plain.

export const LAB_NAME_PATTERN = /^[a-z0-9-]{1,32}$/;
export const LAB_NAME_RULE = "1-32 characters of a-z, 0-9 and '-'";

export function isLabName(value: string): boolean {
  return LAB_NAME_PATTERN.test(value);
}

/** The one-line usage error for a name that is not a lab name. */
export function invalidLabName(name: string): string {
  return `invalid lab name '${name}': use ${LAB_NAME_RULE}`;
}
