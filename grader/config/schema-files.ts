import { fileURLToPath } from 'node:url';
import { checkFileSchema } from '../checks/check-file-schema.ts';
import { inventorySchema } from './inventory-schema.ts';

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// The schema files kept in the repo for editors, and what they must contain.
export const SCHEMA_FILES = [
  { path: repo('checks/check-file.schema.json'), schema: checkFileSchema() },
  { path: repo('inventory.schema.json'), schema: inventorySchema },
];
