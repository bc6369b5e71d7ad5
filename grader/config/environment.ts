import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'dotenv';

export type Environment = Readonly<Record<string, string | undefined>>;

function readEnvFile(path: string): Record<string, string> {
  try {
    return parse(readFileSync(path));
  } catch {
    return {};
  }
}

// The process environment over `.env` in the working directory over `.env` beside the inventory:
// the nearer to the user, the stronger. Files are read, process.env is left alone.
export function loadEnvironment(inventoryPath: string, processEnv: NodeJS.ProcessEnv = process.env): Environment {
  const here = resolve('.env');
  const beside = resolve(join(dirname(inventoryPath), '.env'));
  return { ...(beside !== here ? readEnvFile(beside) : {}), ...readEnvFile(here), ...processEnv };
}
