import { describe, expect, it } from 'vitest';
import { parseRouteGet } from '../../parse/ip-route.ts';
import { subnetOf } from '../../core/ipv4.ts';
import { fixture } from '../../../test/support/test-files.ts';
import { evaluateRoutes, type RoutesObservation } from './routes.ts';

// VM1 of the recording: enp1s0 management 192.168.122.50, enp7s0 internal 10.0.1.2/24; the router
// is 10.0.1.1 on that network and VM3 is 10.0.2.3.
const base: Omit<RoutesObservation, 'decision'> = {
  host: 'vm1',
  destination: '10.0.2.3',
  own: { interface: 'enp7s0', address: '10.0.1.2', prefixLength: 24, subnet: subnetOf('10.0.1.2', 24) },
  routerAddress: '10.0.1.1',
  managementInterface: 'enp1s0',
  evidence: [],
};
const decide = (name: string) => parseRouteGet(fixture(`ip-route/${name}`), '10.0.2.3');

describe('evaluateRoutes', () => {
  it('passes a route via the router out of the internal NIC', () => {
    const verdict = evaluateRoutes({ ...base, decision: decide('get-via-router.txt') });
    expect(verdict).toMatchObject({ status: 'pass', message: '10.0.2.3 via 10.0.1.1 dev enp7s0' });
  });

  it('fails a route via the management gateway, naming it', () => {
    const verdict = evaluateRoutes({ ...base, decision: decide('get-via-management.txt') });
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toBe("VM1 reaches 10.0.2.3 via 192.168.122.1 on the management NIC enp1s0, not via the router's 10.0.1.1");
    expect(verdict.expected).toMatch(/^10\.0\.2\.3 via 10\.0\.1\.1 dev enp7s0/);
  });

  it('fails a route via another gateway on the internal network (the hypervisor bridge)', () => {
    const verdict = evaluateRoutes({ ...base, routerAddress: '10.0.1.254', decision: decide('get-via-router.txt') });
    expect(verdict.message).toBe("VM1 reaches 10.0.2.3 via 10.0.1.1, not via the router's 10.0.1.254");
  });

  it('passes a route via another address of the router on the same network (a router with two addresses there)', () => {
    const verdict = evaluateRoutes({ ...base, routerAddress: '10.0.1.254', routerAddresses: ['10.0.1.254', '10.0.1.1'], decision: decide('get-via-router.txt') });
    expect(verdict).toMatchObject({ status: 'pass', message: '10.0.2.3 via 10.0.1.1 dev enp7s0' });
  });

  it('still fails a gateway that is none of the router\'s addresses on the network', () => {
    const verdict = evaluateRoutes({ ...base, routerAddress: '10.0.1.254', routerAddresses: ['10.0.1.254', '10.0.1.253'], decision: decide('get-via-router.txt') });
    expect(verdict.status).toBe('fail');
  });

  it('fails when there is no route at all', () => {
    const verdict = evaluateRoutes({ ...base, decision: decide('get-no-route.txt') });
    expect(verdict).toMatchObject({ status: 'fail', message: 'VM1 has no usable route to 10.0.2.3' });
  });

  it('fails an on-link route (the other VM looks like a neighbour)', () => {
    const decision = { ...parseRouteGet(fixture('ip-route/get-on-link.txt')), destination: '10.0.2.3' };
    expect(evaluateRoutes({ ...base, decision }).message).toBe('VM1 sends to 10.0.2.3 directly out of enp7s0, not via the router');
  });

  it('fails the right gateway out of the wrong NIC', () => {
    const decision = { ...decide('get-via-router.txt'), device: 'enp8s0' };
    expect(evaluateRoutes({ ...base, decision }).message).toBe("VM1's route to 10.0.2.3 leaves by enp8s0, not by its internal NIC enp7s0");
  });
});
