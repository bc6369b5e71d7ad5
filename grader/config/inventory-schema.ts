// JSON Schema of the inventory (labs.yaml): labs and how to reach their three VMs. No secrets.
const endpoint = (required: string[]) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties: {
    address: { type: 'string', pattern: '^[A-Za-z0-9._:-]+$', description: 'IP address or host name' },
    user: { type: 'string', pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$', description: 'SSH user' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port' },
  },
});

export const LAB_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export const inventorySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'router-lab-grader inventory',
  type: 'object',
  additionalProperties: false,
  required: ['labs'],
  properties: {
    $schema: { type: 'string' },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        user: { type: 'string', pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$' },
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        jump: endpoint(['address']),
      },
    },
    labs: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: LAB_NAME_PATTERN },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['vm1', 'router', 'vm3'],
        properties: { vm1: endpoint(['address']), router: endpoint(['address']), vm3: endpoint(['address']), jump: endpoint(['address']) },
      },
    },
  },
};
