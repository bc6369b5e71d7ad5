// JSON Schema of the inventory (labs.yaml): labs and how to reach their three VMs. No secrets.
const endpointProperties = {
  address: { type: 'string', pattern: '^[A-Za-z0-9._:-]+$', description: 'IP address or host name' },
  user: { type: 'string', pattern: '^[A-Za-z0-9._][A-Za-z0-9._-]*$', description: 'SSH user' },
  port: { type: 'integer', minimum: 1, maximum: 65535, description: 'SSH port' },
};
const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };

// Which credential a lab or a VM uses: pointers to secrets (a file, a variable's name), never one.
export const CREDENTIAL_POINTERS = ['keyFile', 'passphraseEnv', 'passwordEnv', 'passwordFile', 'agent'] as const;
const credentials = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'The credentials of this lab or VM instead of GRADER_SSH_*: pointers to secrets kept outside the inventory, never a secret',
  properties: {
    keyFile: { type: 'string', minLength: 1, description: 'private key file, relative to the inventory or ~/ (keep it out of any repository)' },
    passphraseEnv: { ...envName, description: "the environment (or .env) variable holding keyFile's passphrase" },
    passwordEnv: { ...envName, description: 'the environment (or .env) variable holding the password' },
    passwordFile: { type: 'string', minLength: 1, description: 'a file whose first line is the password, relative to the inventory' },
    agent: { type: 'boolean', description: 'also offer the keys of the ssh-agent at SSH_AUTH_SOCK (default false)' },
  },
};

const endpoint = (required: string[]) => ({ type: 'object', additionalProperties: false, required, properties: endpointProperties });
const vmEndpoint = { type: 'object', additionalProperties: false, properties: { ...endpointProperties, credentials } };

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

// Written by `npm run lab -- up` and `npm run vmlab -- up`: the grader refuses the lab once its slot was claimed anew.
const origin = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'claim', 'generation'],
  description:
    "The lab provider that built this lab on this machine: 'netns' (the reference lab, network namespaces: no VirtIO NICs) or 'libvirt'; the folder of its slot's claim and that claim's generation. The grader refuses to grade it once the claim's generation file says otherwise (the lab is gone, its slot maybe another lab's)",
  properties: {
    provider: { enum: ['netns', 'libvirt'] },
    claim: { type: 'string', minLength: 1, description: "the slot claim's folder (its `generation` file)" },
    generation: { type: 'string', pattern: '^[0-9a-f]{4,64}$' },
  },
};

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
          vm1: vmEndpoint,
          router: vmEndpoint,
          vm3: vmEndpoint,
          credentials,
          jump: endpoint(['address']),
          hypervisor,
          origin,
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
