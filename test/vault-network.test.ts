/** --vault-network and the values each mode needs: refused where they do not belong, named by their flag. */
import { describe, expect, it } from 'vitest';
import { planSetup, VAULT_PRIVATE_DNS_ZONES } from '../src/plan/index.js';
import { ipv4OrCidr, subnetResourceId } from '../src/spec/rules.js';
import { specFrom } from './support/generate.js';
import { GUIDE_FLAGS } from './support/generate.js';

const SUBNET = '/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-1/subnets/pe';

describe('the vault network', () => {
  it('is public by default, and setup.sh then makes no network step', () => {
    const plan = planSetup(specFrom(GUIDE_FLAGS));
    expect(plan.view.setup.network).toMatchObject({ mode: 'public', isPublic: true });
    expect(plan.problems).toEqual([]);
  });

  it('needs a subnet resource ID for a private vault, and takes one only then', () => {
    expect(planSetup(specFrom([...GUIDE_FLAGS, '--vault-network', 'private'])).problems).toEqual([
      { field: '--private-endpoint-subnet', value: '', rule: expect.stringContaining('is needed with --vault-network private') },
    ]);
    expect(planSetup(specFrom([...GUIDE_FLAGS, '--vault-network', 'private', '--private-endpoint-subnet', SUBNET])).problems).toEqual([]);
    expect(planSetup(specFrom([...GUIDE_FLAGS, '--private-endpoint-subnet', SUBNET])).problems).toEqual([
      { field: '--private-endpoint-subnet', value: SUBNET, rule: 'is used only with --vault-network private, not public' },
    ]);
    expect(planSetup(specFrom([...GUIDE_FLAGS, '--vault-network', 'private', '--egress-ip', '20.1.2.3', '--private-endpoint-subnet', SUBNET])).problems).toEqual([
      { field: '--egress-ip', value: '20.1.2.3', rule: 'is used only with --vault-network firewall, not private' },
    ]);
  });

  it('checks a subnet ID and an egress address as az and Key Vault take them', () => {
    expect(subnetResourceId(SUBNET)).toBeNull();
    expect(subnetResourceId('vnet-1/pe')).toContain('must be a subnet resource ID');
    expect(subnetResourceId(`${SUBNET}/extra`)).not.toBeNull();
    for (const ok of ['20.50.10.7', '10.0.0.0/8', '255.255.255.255/32']) expect(ipv4OrCidr(ok), ok).toBeNull();
    for (const bad of ['20.50.10', '256.1.1.1', '1.2.3.4/33', '::1', '1.2.3.4 ']) expect(ipv4OrCidr(bad), bad).not.toBeNull();
  });

  it('resolves the vault in each cloud’s privatelink zone', () => {
    const zone = (cloud: string) => planSetup(specFrom([...GUIDE_FLAGS, '--cloud', cloud, '--vault-network', 'private', '--private-endpoint-subnet', SUBNET])).view.setup.network.dnsZone;
    expect(zone('AzurePublicCloud')).toBe('privatelink.vaultcore.azure.net');
    expect(zone('AzureUSGovernmentCloud')).toBe(VAULT_PRIVATE_DNS_ZONES.AzureUSGovernmentCloud);
    expect(zone('AzureChinaCloud')).toBe('privatelink.vaultcore.azure.cn');
  });
});
