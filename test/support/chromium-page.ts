// Debian's Chromium driven by playwright-core for the board's browser tests and benchmark: the
// system browser (/usr/bin/chromium, or CHROMIUM), nothing downloaded, an empty profile of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A browser with an empty profile (its own cookies) at a viewport width; `close` removes the profile. */
export async function browserContext(width: number, height = 900): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'board-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width, height } });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`${CHROMIUM} could not be started (apt-get install chromium, or set CHROMIUM): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
