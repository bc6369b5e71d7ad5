// JSON Schema of the inventory (labs.yaml): labs and how to reach their three VMs. No secrets.
const endpointProperties = {
  address: { type: 'string', pattern: '^[A-Za-z0-9._:-]+$', description: 'IP address or host name' },
  user: { type: 'string', pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$', description: 'SSH user' },
  port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port' },
};
const endpoint = (required: string[]) => ({ type: 'object', additionalProperties: false, required, properties: endpointProperties });

const hypervisor = {
  description: "The lab's libvirt host: 'local' (this machine) or how to reach it over SSH; the VMs' addresses are then found with virsh",
  oneOf: [
    { const: 'local' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['address'],
      properties: { ...endpointProperties, uri: { type: 'string', description: 'libvirt URI (default qemu:///system)' } },
    },
  ],
};

const domainName = { type: 'string', pattern: '^[A-Za-z0-9._+-]+$' };

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
        properties: {
          vm1: endpoint([]),
          router: endpoint([]),
          vm3: endpoint([]),
          jump: endpoint(['address']),
          hypervisor,
          domains: {
            type: 'object',
            additionalProperties: false,
            description: 'libvirt domain names, when they are not vm1, router and vm3',
            properties: { vm1: domainName, router: domainName, vm3: domainName },
          },
        },
      },
    },
  },
};
