// The first Debian image build takes minutes: its script's progress lines (stderr) reach `up` and
// `image` as they come, not at the end.
import { describe, expect, it } from 'vitest';
import { runImageScript } from './image.ts';

describe('an image build shows its progress', () => {
  it('hands over each stderr line as it is written, and keeps stdout (the image folder) for the end', async () => {
    const heard: Array<{ line: string; at: number }> = [];
    const started = performance.now();
    const script = 'echo "build: step 1" >&2; sleep 0.6; printf "build: step 2\\nbuild: no newline" >&2; echo /cache/image-dir';
    const result = await runImageScript(['bash', '-c', script], (line) => heard.push({ line, at: performance.now() - started }));
    const ended = performance.now() - started;
    expect(heard.map((h) => h.line)).toEqual(['build: step 1', 'build: step 2', 'build: no newline']);
    expect(heard[0]!.at, 'the first line before the build ended').toBeLessThan(ended - 400);
    expect(result).toMatchObject({ exitCode: 0, stdout: '/cache/image-dir\n' });
  });

});
