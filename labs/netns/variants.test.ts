import { describe, expect, it } from 'vitest';
import { isLabName, planLab } from './plan.ts';
import { optionalPrograms } from './programs.ts';
import { isVariant, VARIANT_TABLE, VARIANTS, variantSpec, type Variant } from './variants.ts';

const plan = (variant: Variant) => planLab({ name: 'demo', slot: 2, variant, stateDir: '/srv/checkout/.lab/demo' });
// Everything the lab builds, as data: what a variant may change.
const built = (variant: Variant) => {
  const { variant: _name, changes: _changes, ...rest } = plan(variant);
  return JSON.stringify(rest);
};

describe('the variant table', () => {
  it('lists every entry once, good first, and knows its names', () => {
    expect(VARIANTS[0]).toBe('good');
    expect(VARIANTS).toEqual(Object.keys(VARIANT_TABLE));
    expect(isVariant('via-host')).toBe(true);
    expect(isVariant('toString')).toBe(false);
    expect(isVariant('VIA-HOST')).toBe(false);
  });

  it('good changes nothing and is diagnosed with nothing', () => {
    expect(variantSpec('good')).toEqual({ mistake: 'everything as the exercise asks', changes: {}, diagnoses: [] });
  });

  it.for(VARIANTS.filter((v) => v !== 'good'))('%s builds another lab than good, and names a diagnosis unless it is valid', (variant) => {
    expect(built(variant)).not.toBe(built('good'));
    if (variantSpec(variant).valid) expect(variantSpec(variant).diagnoses).toEqual([]);
    else expect(variantSpec(variant).diagnoses.length).toBeGreaterThan(0);
    expect(variantSpec(variant).mistake.length).toBeGreaterThan(20);
  });

  it('every variant\'s name fits in a lab name with the verdicts suite\'s prefix (e2e, a pid of up to 7 digits and a dash)', () => {
    for (const variant of VARIANTS) expect(isLabName(`e2e${'9'.repeat(7)}-${variant}`), variant).toBe(true);
  });

  it('no two variants build the same lab', () => {
    const labs = new Map<string, Variant>();
    for (const variant of VARIANTS) {
      const lab = built(variant);
      expect(labs.get(lab), `${variant} builds the lab of ${labs.get(lab)}`).toBeUndefined();
      labs.set(lab, variant);
    }
  });

  it('finds the programs a variant needs beyond iproute2 in its own steps', () => {
    const needs = Object.fromEntries(VARIANTS.map((v) => [v, optionalPrograms(plan(v).steps)]).filter(([, p]) => p!.length > 0));
    // Every lab has DHCP on its internal networks, as libvirt's; nft only where the router or VM3 has a firewall.
    const withNft = new Set(['firewall-drop', 'packet-loss', 'path-mtu-blackhole', 'no-time-exceeded', 'vm3-input-drop', 'nat-on-router']);
    expect(needs).toEqual(Object.fromEntries(VARIANTS.map((v) => [v, withNft.has(v) ? ['dnsmasq', 'nft'] : ['dnsmasq']])));
  });
});
