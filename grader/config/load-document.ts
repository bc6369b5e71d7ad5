import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError } from './config-error.ts';
import { readUtf8File } from './utf8-text.ts';

// A YAML or JSON file as data, able to say where in the file a value stands.
export interface LoadedDocument {
  path: string;
  data: unknown;
  /** `file:line:column` of the value at a JSON pointer such as `/checks/3/params/floorMbps`. */
  locate(pointer: string): string;
}

const MAX_ALIAS_COUNT = 100;

function segments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export async function loadDocument(path: string, what: string): Promise<LoadedDocument> {
  const text = await readUtf8File(path, what);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return `${path}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  const locate = (pointer: string): string => {
    let node: unknown = doc.contents;
    let last: Node | undefined = doc.contents ?? undefined;
    for (const key of segments(pointer)) {
      if (isMap(node)) node = node.get(key, true);
      else if (isSeq(node)) node = node.get(Number(key), true);
      else break;
      if (node && typeof node === 'object' && 'range' in node) last = node as Node;
    }
    const offset = last?.range?.[0];
    if (offset === undefined) return path;
    const { line, col } = lineCounter.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  return { path, data: toData(doc, path), locate };
}

// The document as plain data. Each alias expands to a copy of what it names, so a few lines of
// nested aliases ("billion laughs") would expand to gigabytes: yaml stops at MAX_ALIAS_COUNT.
function toData(doc: ReturnType<typeof parseDocument>, path: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new ConfigError([`${path}: too many aliases expanded (more than ${MAX_ALIAS_COUNT}): write the values out, or use fewer nested aliases`]);
    }
    throw error;
  }
}
