// A small, tag-level rewriter for XML this project generated itself (xmlbuilder output: attribute
// values double-quoted and escaped). It walks the document token by token, so text and CDATA that
// merely look like tags (a student's output containing `<testcase>`) are never touched.

export interface Attribute {
  name: string;
  /** Escaped, as it stands between the quotes. */
  rawValue: string;
}

export interface Tag {
  kind: 'start' | 'end' | 'empty';
  name: string;
  attributes: Attribute[];
  /** How many start/empty tags of this name came before this one (end tags: of end tags). */
  index: number;
}

/** Returns the replacement markup for a tag, or undefined to keep it. */
export type TagVisitor = (tag: Tag) => string | undefined;

const TOKEN =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*"[^"]*")*)\s*(\/?)>|[^<]+/y;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*"([^"]*)"/g;

export function rewriteTags(xml: string, visit: TagVisitor): string {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const token = new RegExp(TOKEN);
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const m = token.exec(xml);
    if (!m) throw new Error(`rewriteTags: unexpected markup at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    const name = m[2];
    if (name === undefined) {
      out.push(m[0]);
      continue;
    }
    const kind: Tag['kind'] = m[1] === '/' ? 'end' : m[4] === '/' ? 'empty' : 'start';
    const key = `${kind === 'end' ? '/' : ''}${name}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const attributes = [...(m[3] ?? '').matchAll(ATTRIBUTE)].map(([, n = '', v = '']) => ({ name: n, rawValue: v }));
    out.push(visit({ kind, name, attributes, index }) ?? m[0]);
  }
  return out.join('');
}

export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

export function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A start (or empty) tag with `changes` applied: existing attributes keep their place and are
// overwritten, new ones are appended, `null` removes one. Values in `changes` are unescaped.
export function renderTag(tag: Tag, changes: Record<string, string | null>, selfClosing = tag.kind === 'empty'): string {
  const attributes = new Map(tag.attributes.map((a) => [a.name, a.rawValue] as const));
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) attributes.delete(name);
    else attributes.set(name, escapeAttribute(value));
  }
  const rendered = [...attributes].map(([name, raw]) => ` ${name}="${raw}"`).join('');
  return `<${tag.name}${rendered}${selfClosing ? '/' : ''}>`;
}
