import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, renderTag, rewriteTags, type Tag } from './xml-rewrite.ts';

const DOC = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<testsuites tests="2">',
  '  <testsuite name="a &amp; b" tests="2">',
  '    <testcase classname="c" name="x &gt; y" time="1"/>',
  '    <testcase classname="c" name="two" time="2">',
  '      <failure message="m > n" type="fail"><![CDATA[<testcase name="fake"/> </testsuite>]]></failure>',
  '    </testcase>',
  '    <!-- <testcase/> -->',
  '  </testsuite>',
  '</testsuites>',
].join('\n');

describe('rewriteTags', () => {
  it('returns the document unchanged when the visitor changes nothing', () => {
    expect(rewriteTags(DOC, () => undefined)).toBe(DOC);
  });

  it('visits real tags only, never lookalikes inside CDATA or comments', () => {
    const seen: string[] = [];
    rewriteTags(DOC, (tag) => {
      seen.push(`${tag.kind}:${tag.name}#${tag.index}`);
      return undefined;
    });
    expect(seen).toEqual([
      'start:testsuites#0',
      'start:testsuite#0',
      'empty:testcase#0',
      'start:testcase#1',
      'start:failure#0',
      'end:failure#0',
      'end:testcase#0',
      'end:testsuite#0',
      'end:testsuites#0',
    ]);
  });

  it('parses attributes with `>` in their values, keeping them escaped', () => {
    const tags: Tag[] = [];
    rewriteTags(DOC, (tag) => void tags.push(tag));
    expect(tags.find((t) => t.name === 'failure')?.attributes).toEqual([
      { name: 'message', rawValue: 'm > n' },
      { name: 'type', rawValue: 'fail' },
    ]);
    expect(tags.find((t) => t.name === 'testsuite')?.attributes[0]).toEqual({ name: 'name', rawValue: 'a &amp; b' });
  });

  it('adds, overwrites and removes attributes on the tags it is asked to', () => {
    const out = rewriteTags(DOC, (tag) =>
      tag.name === 'testcase' && tag.kind !== 'end' ? renderTag(tag, { weight: String(tag.index + 1), time: null }) : undefined,
    );
    expect(out).toContain('<testcase classname="c" name="x &gt; y" weight="1"/>');
    expect(out).toContain('<testcase classname="c" name="two" weight="2">');
    expect(out).toContain('<![CDATA[<testcase name="fake"/> </testsuite>]]>');
  });

  it('inserts markup before an end tag', () => {
    const out = rewriteTags(DOC, (tag) => (tag.kind === 'end' && tag.name === 'testsuite' ? '<system-err/></testsuite>' : undefined));
    expect(out).toContain('<system-err/></testsuite>\n</testsuites>');
    expect(out.match(/<system-err\/>/g)).toHaveLength(1);
  });

  it('fails loudly on markup it does not understand', () => {
    expect(() => rewriteTags("<a b='single'>", () => undefined)).toThrow(/offset 0/);
    expect(() => rewriteTags('<a>text <', () => undefined)).toThrow(/offset 8/);
  });
});

describe('escaping', () => {
  it('escapes attribute values, including line breaks and tabs', () => {
    expect(escapeAttribute('a&b<c>d"e\tf\ng\rh')).toBe('a&amp;b&lt;c&gt;d&quot;e&#x9;f&#xA;g&#xD;h');
  });

  it('escapes text, including the `>` of `]]>`', () => {
    expect(escapeText('a < b && c ]]> d')).toBe('a &lt; b &amp;&amp; c ]]&gt; d');
  });

  it('renders a start tag as self-closing only when asked', () => {
    const tag: Tag = { kind: 'empty', name: 'testsuite', attributes: [{ name: 'name', rawValue: 'x' }], index: 0 };
    expect(renderTag(tag, { id: '0' })).toBe('<testsuite name="x" id="0"/>');
    expect(renderTag(tag, { id: '0' }, false)).toBe('<testsuite name="x" id="0">');
  });
});
