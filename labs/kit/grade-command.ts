// The grade command both labs print after `up`: `npm run grade` on the lab's inventory, its path
// as the user can type it from where they stand.
import { relative } from 'node:path';
import { describeCommand } from './run.ts';

export function gradeCommand(name: string, inventoryPath: string, cwd = process.cwd()): string {
  return `npm run grade -- --host ${name} --inventory ${describeCommand([relative(cwd, inventoryPath)])}`;
}
