import { isPlaceholder } from './placeholder.js';
import type { Hit } from './types.js';

/**
 * Rules over commands: shell scripts, Markdown code blocks, CI steps in YAML, Terraform local-exec. A
 * command continued with a trailing \ (or PowerShell's `) is read as one, reported at its first line.
 */

/** What a command these rules read mentions: the cheap look at a text before any of its lines is read. */
export const COMMAND_TRIGGER = /keyvault|kubectl|az\s+(?:login|aks)|AzKeyVault|aad-pod-identity/i;
const FALSE = /^(?:false|0|no|off)$/i;

/** The value of a flag that may stand alone (`--flag`, meaning true) or take one (`--flag false`, `--flag=false`). */
function flagValue(command: string, flag: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${flag}(?:[ =]+([^\\s-][^\\s]*))?(?=\\s|$)`).exec(command);
  if (!m) return undefined;
  return (m[1] ?? 'true').replace(/^["']|["']$/g, '');
}

function commandHits(command: string, line: number, hits: Hit[]): void {
  const add = (rule: Hit['rule'], message: string) => hits.push({ rule, line, message });
  if (/\baz\s+keyvault\s+set-policy\b/.test(command)) add('KVS002', 'az keyvault set-policy grants access through an access policy');
  if (/\bSet-AzKeyVaultAccessPolicy\b/i.test(command)) add('KVS002', 'Set-AzKeyVaultAccessPolicy grants access through an access policy');
  const vault = /\baz\s+keyvault\s+(create|update)\b/.exec(command);
  if (vault && !/--hsm-name\b/.test(command)) {
    const rbac = flagValue(command, '--enable-rbac-authorization');
    if (rbac !== undefined && FALSE.test(rbac)) add('KVS002', `az keyvault ${vault[1]} --enable-rbac-authorization ${rbac} keeps access policies`);
    if (vault[1] === 'create') {
      const purge = flagValue(command, '--enable-purge-protection');
      if (purge === undefined) add('KVS004', 'az keyvault create without --enable-purge-protection');
      else if (FALSE.test(purge)) add('KVS004', `az keyvault create --enable-purge-protection ${purge}`);
    }
    const softDelete = flagValue(command, '--enable-soft-delete');
    if (softDelete !== undefined && FALSE.test(softDelete)) add('KVS004', `az keyvault ${vault[1]} --enable-soft-delete ${softDelete} turns soft delete off`);
  }
  if (/\bNew-AzKeyVault\b/i.test(command)) {
    if (/-DisableRbacAuthorization\b/i.test(command)) add('KVS002', 'New-AzKeyVault -DisableRbacAuthorization keeps access policies');
    if (!/-EnablePurgeProtection\b/i.test(command)) add('KVS004', 'New-AzKeyVault without -EnablePurgeProtection');
  }
  if (/\bkubectl\s+create\s+secret\b/.test(command) && /client-?secret|AZURE_CLIENT_SECRET/i.test(command)) {
    add('KVS003', 'kubectl create secret stores a service-principal client secret for the cluster');
  }
  if (/\bkubectl\s+set\s+env\b/.test(command)) {
    if (/AZURE_CLIENT_SECRET/.test(command)) add('KVS003', 'kubectl set env gives the workload a service-principal secret (AZURE_CLIENT_SECRET)');
    if (/--from[ =]+secret\//.test(command)) add('KVS006', 'kubectl set env --from=secret/ turns a Secret into env vars');
  }
  if (/\baz\s+login\b/.test(command) && /--service-principal\b/.test(command) && /(?:^|\s)(?:-p|--password|--client-secret|--certificate)(?:[ =]|$)/.test(command)) {
    add('KVS003', 'az login --service-principal with a password or certificate: a credential to store');
    const password = /(?:^|\s)(?:-p|--password|--client-secret)[ =]+("[^"]*"|'[^']*'|\S+)/.exec(command)?.[1]?.replace(/^["']|["']$/g, '');
    if (password && !isPlaceholder(password) && !/\.(?:pem|pfx|crt|cer)$/i.test(password) && password.length >= 8) {
      add('KVS005', 'az login is given a literal service-principal password (value masked)');
    }
  }
  if (/\baz\s+aks\s+pod-identity\b/.test(command) || (/\baz\s+aks\s+(?:create|update)\b/.test(command) && /--enable-pod-identity\b/.test(command))) {
    add('KVS007', 'AAD Pod Identity (az aks pod-identity / --enable-pod-identity) is deprecated');
  }
  if (/\bhelm\s+(?:install|upgrade)\b.*aad-pod-identity/.test(command)) add('KVS007', 'installs AAD Pod Identity, which is deprecated');
}

/** Commands in lines (a script, a code block, a YAML file's run steps); firstLine numbers lines[0]. */
export function shellHits(lines: readonly string[], firstLine: number): Hit[] {
  const hits: Hit[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let command = lines[i]!;
    while (/[\\`]\s*$/.test(command) && i + 1 < lines.length) command = command.replace(/[\\`]\s*$/, ' ') + lines[++i]!;
    const trimmed = command.trimStart();
    if (trimmed.startsWith('#') || trimmed.startsWith('//') || !COMMAND_TRIGGER.test(command)) continue;
    // A command a script only prints, as advice to a reader, is not one it runs.
    if (/^(?:echo|printf|Write-(?:Host|Output)|cat\s*<<)\b/i.test(trimmed)) continue;
    commandHits(command, start + firstLine, hits);
  }
  return hits;
}
