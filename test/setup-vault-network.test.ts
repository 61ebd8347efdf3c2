/**
 * azure/setup.sh with --vault-network private and firewall, against the stand-in az (which refuses
 * data-plane calls the vault's network would refuse: test/stand-ins/az, requireNetworkAccess). The
 * first run works from anywhere, because the vault is closed last; a re-run from outside stops before
 * changing anything and says how to reach the vault; a re-run from inside changes nothing.
 */
import { afterAll, describe, it } from 'vitest';
import { Sandbox, mutating, once } from './support/standin-harness.js';
import type { AzCall, StandInState } from './support/standin-harness.js';

const WORKLOAD = ['--yes', '--app', 'myapp', '--namespace', 'production', '--resource-group', 'myRG', '--cluster', 'myCluster', '--secret', 'db-password'];
const shape = (call: AzCall): [string, Record<string, string | true>] => [call.command, call.flags];

function vnetScene(state: StandInState): { peSubnet: string; vnetId: string } {
  const sub = state.subscriptionId as string;
  const vnetId = `/subscriptions/${sub}/resourceGroups/myRG/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
  state.vnets = {
    'myRG/aks-vnet': {
      id: vnetId, name: 'aks-vnet', location: 'eastus', resourceGroup: 'myRG',
      subnets: [{ id: `${vnetId}/subnets/nodes`, name: 'nodes' }, { id: `${vnetId}/subnets/private-endpoints`, name: 'private-endpoints' }],
    },
  };
  state.clusters['myRG/myCluster'].agentPoolProfiles = [{ name: 'nodepool1', vnetSubnetId: `${vnetId}/subnets/nodes` }];
  return { peSubnet: `${vnetId}/subnets/private-endpoints`, vnetId };
}

afterAll(() => Sandbox.removeAll());

describe.concurrent('azure/setup.sh and the vault network, against the stand-in az', { timeout: 400_000 }, () => {
  describe('--vault-network private', () => {
    const run = once(async () => {
      let scene = { peSubnet: '', vnetId: '' };
      const sb = await Sandbox.create((state) => { scene = vnetScene(state); });
      const folder = await sb.generate('app', [...WORKLOAD, '--vault-network', 'private', '--private-endpoint-subnet', scene.peSubnet]);
      const first = await sb.runSetup(folder, { stdin: 'QZX value\n' });
      const state = sb.state();
      const outside = await sb.runSetup(folder, { stdin: 'closed' });
      const inside = await sb.runSetup(folder, { stdin: 'closed', env: { STANDIN_CALLER_NETWORK: 'vnet' } });
      return { scene, first, state, outside, inside };
    });

    it('first run, from outside the VNet: uploads, then makes the endpoint, the zone, its link and zone group, and closes the vault last', async ({ expect }) => {
      const { scene, first, state } = await run();
      expect(first.code, first.stderr).toBe(0);
      const vaultId = state.vaults['myapp-kv'].id as string;
      const changes = mutating(first.calls).map(shape);
      const network = changes.slice(changes.findIndex(([command]) => command === 'network private-endpoint create'));
      expect(network).toEqual([
        ['network private-endpoint create', {
          '--resource-group': 'myRG', '--name': 'myapp-kv-pe', '--location': 'eastus', '--subnet': scene.peSubnet,
          '--private-connection-resource-id': vaultId, '--group-id': 'vault', '--connection-name': 'myapp-kv-pe', '--output': 'none',
        }],
        ['network private-dns zone create', { '--resource-group': 'myRG', '--name': 'privatelink.vaultcore.azure.net', '--query': 'id', '--output': 'tsv' }],
        ['network private-dns link vnet create', {
          '--resource-group': 'myRG', '--zone-name': 'privatelink.vaultcore.azure.net', '--name': 'myCluster-vnet',
          '--virtual-network': scene.vnetId, '--registration-enabled': 'false', '--output': 'none',
        }],
        ['network private-endpoint dns-zone-group create', {
          '--resource-group': 'myRG', '--endpoint-name': 'myapp-kv-pe', '--name': 'vaultcore',
          '--private-dns-zone': state.privateDnsZones['myRG/privatelink.vaultcore.azure.net'].id, '--zone-name': 'vaultcore', '--output': 'none',
        }],
        ['keyvault update', { '--name': 'myapp-kv', '--public-network-access': 'Disabled', '--output': 'none' }],
      ]);
      // The values went in before the vault was closed.
      expect(changes.findIndex(([command]) => command === 'keyvault secret set')).toBeLessThan(changes.length - network.length);
      expect(state.vaults['myapp-kv'].properties.publicNetworkAccess).toBe('Disabled');
      expect(state.privateDnsZones['myRG/privatelink.vaultcore.azure.net'].records).toEqual({ 'myapp-kv': state.privateEndpoints['myRG/myapp-kv-pe'].privateIp });
    });

    it('a re-run from outside the VNet stops before any change and says how to reach the vault', async ({ expect }) => {
      const { outside } = await run();
      expect(outside.code).toBe(1);
      expect(mutating(outside.calls)).toEqual([]);
      expect(outside.stderr).toContain("Run this script inside the cluster's VNet");
      expect(outside.stderr).toContain('az keyvault update --name=myapp-kv --public-network-access=Enabled');
    });

    it('a re-run inside the VNet changes nothing', async ({ expect }) => {
      const { inside } = await run();
      expect(inside.code, inside.stderr).toBe(0);
      expect(mutating(inside.calls)).toEqual([]);
      expect(inside.stderr).toContain('public network access: already off.');
    });
  });

  describe('--vault-network firewall, the egress IP read from the cluster', () => {
    const run = once(async () => {
      const sb = await Sandbox.create((state) => {
        const sub = state.subscriptionId as string;
        const pip = `/subscriptions/${sub}/resourceGroups/MC_myRG_myCluster_eastus/providers/Microsoft.Network/publicIPAddresses/kubernetes-out`;
        state.publicIps = { 'MC_myRG_myCluster_eastus/kubernetes-out': { id: pip, name: 'kubernetes-out', resourceGroup: 'MC_myRG_myCluster_eastus', ipAddress: '20.50.10.7' } };
        state.clusters['myRG/myCluster'].networkProfile = { outboundType: 'loadBalancer', loadBalancerProfile: { effectiveOutboundIPs: [{ id: pip, resourceGroup: 'MC_myRG_myCluster_eastus' }] } };
      });
      const folder = await sb.generate('app', [...WORKLOAD, '--vault-network', 'firewall']);
      const first = await sb.runSetup(folder, { stdin: 'QZX value\n' });
      const state = sb.state();
      const outside = await sb.runSetup(folder, { stdin: 'closed' });
      const allowed = await sb.runSetup(folder, { stdin: 'closed', env: { STANDIN_CALLER_IP: '20.50.10.7' } });
      return { first, state, outside, allowed };
    });

    it('first run: allows the cluster’s outbound IP, then refuses every other address, with no bypass', async ({ expect }) => {
      const { first, state } = await run();
      expect(first.code, first.stderr).toBe(0);
      const changes = mutating(first.calls).map(shape);
      expect(changes.slice(-2)).toEqual([
        ['keyvault network-rule add', { '--name': 'myapp-kv', '--ip-address': '20.50.10.7', '--output': 'none' }],
        ['keyvault update', { '--name': 'myapp-kv', '--default-action': 'Deny', '--bypass': 'None', '--output': 'none' }],
      ]);
      expect(state.vaults['myapp-kv'].properties.networkAcls).toEqual({ bypass: 'None', defaultAction: 'Deny', ipRules: [{ value: '20.50.10.7/32' }], virtualNetworkRules: [] });
    });

    it('a re-run from another address stops before any change and says how to get in', async ({ expect }) => {
      const { outside } = await run();
      expect(outside.code).toBe(1);
      expect(mutating(outside.calls)).toEqual([]);
      expect(outside.stderr).toContain('the firewall of vault myapp-kv does not let this machine in');
    });

    it('a re-run from an allowed address changes nothing', async ({ expect }) => {
      const { allowed } = await run();
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(mutating(allowed.calls)).toEqual([]);
      expect(allowed.stderr).toContain('20.50.10.7: already allowed.');
      expect(allowed.stderr).toContain('other addresses: already refused.');
    });
  });
});
