import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'dotenv';

export type Environment = Readonly<Record<string, string | undefined>>;

const origins = new WeakMap<Environment, ReadonlyMap<string, string>>();

function readEnvFile(path: string): { values: Record<string, string>; text: string } {
  try {
    const text = readFileSync(path, 'utf8');
    return { values: parse(text), text };
  } catch {
    return { values: {}, text: '' };
  }
}

// Lines whose unquoted value has a `#` right after a character: dotenv reads the rest as a
// comment, so `GRADER_SSH_PASSWORD=pa#ss` is `pa`. Named by file, line and variable, never value.
export function truncatedValues(path: string, text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const match = /^\s*(?:export\s+)?([\w.-]+)\s*=(.*)$/.exec(line);
    if (!match) return [];
    const [, name, raw = ''] = match;
    const value = raw.trimStart();
    const hash = value.indexOf('#');
    if (/^['"`]/.test(value) || hash < 0) return [];
    // `KEY=#x` and `KEY=a#b` lose text; `KEY=a # note` and `KEY= # note` are comments.
    const cut = hash === 0 ? raw === value : !/\s/.test(value[hash - 1]!);
    return cut ? [`warning: ${path}:${index + 1}: the value of ${name} stops at '#' (the rest is read as a comment): quote it, ${name}='...'`] : [];
  });
}

interface LoadedEnvironment {
  env: Environment;
  /** Warnings about the .env files read (a value cut short at '#'). */
  warnings: string[];
}

// The process environment over `.env` beside the inventory over `.env` in the working directory:
// the credentials meant for the labs of an inventory (a reference lab writes its own `.env`
// beside its inventory) win over a `.env` that happens to be where the user stands, and
// variables set for this run win over both. Files are read, process.env is left alone.
export function loadEnvironmentWithWarnings(inventoryPath: string, processEnv: NodeJS.ProcessEnv = process.env): LoadedEnvironment {
  const here = resolve('.env');
  const beside = resolve(join(dirname(inventoryPath), '.env'));
  const files = beside === here ? [here] : [here, beside];
  const origin = new Map<string, string>();
  const merged: Record<string, string | undefined> = {};
  const warnings: string[] = [];
  for (const file of files) {
    const { values, text } = readEnvFile(file);
    warnings.push(...truncatedValues(file, text));
    for (const [key, value] of Object.entries(values)) {
      merged[key] = value;
      origin.set(key, file);
    }
  }
  for (const [key, value] of Object.entries(processEnv)) {
    if (value === undefined) continue;
    merged[key] = value;
    origin.set(key, 'the environment');
  }
  origins.set(merged, origin);
  return { env: merged, warnings };
}

export function loadEnvironment(inventoryPath: string, processEnv: NodeJS.ProcessEnv = process.env): Environment {
  return loadEnvironmentWithWarnings(inventoryPath, processEnv).env;
}

// Where a variable of a loaded environment came from: a .env file's path or "the environment".
export function originOf(env: Environment, name: string): string | undefined {
  return origins.get(env)?.get(name);
}
