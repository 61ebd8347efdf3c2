/**
 * Error texts as users reported them upstream, verbatim (the parts the excerpts showed), one per
 * signature of src/doctor/signatures.ts. The tests feed them to doctor as events and conditions.
 */
export const UPSTREAM_TEXTS: { url: string; text: string }[] = fillRepeats([
  {
    url: 'https://github.com/Azure/azure-workload-identity/issues/1200',
    text: "AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://oidc.prod-aks.azure.com/879-...-a6425/'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
  },
  {
    url: 'https://github.com/Azure/login/issues/517',
    text: 'Error: AADSTS7002138: No matching federated identity record found for presented assertion subject',
  },
  {
    url: 'https://github.com/Azure/azure-workload-identity/issues/1200',
    text: "AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:xxx:yyy'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation Trace ID: xx Correlation ID: xx Timestamp: 2025-04-22 01:01:11Z",
  },
  {
    url: 'https://github.com/MicrosoftDocs/azure-docs/issues/106441',
    text: 'MountVolume.SetUp failed for volume "secrets-store01-inline" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod default/busybox-secrets-store-inline-user-msi, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get keyvault client: failed to get authorizer for keyvault client: failed to acquire token: FromAssertion(): http call(https://login.microsoftonline.com/d95095be-6338-44be-89cb-12753aa161e4/oauth2/v2.0/token)(POST) error: reply status code was 400:\n{"error":"invalid_request","error_description":"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: \'https://uksouth.oic.prod-aks.azure.com/d95095be-6338-44be-89cb-12753aa161e4/7627b819-b0f2-4621-934c-c458148d71be/\'. Assertion Subject: \'system:serviceaccount:default:workload-identity-sa\'. Assertion Audience: \'api://AzureADTokenExchange\'. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation\\r\\nTrace ID: 50063224-eaa6-4b6e-8488-f2f376042900\\r\\nCorrelation ID: 3f40e554-c771-46aa-bb9e-5761e8dab582\\r\\nTimestamp: 2023-03-10 13:37:52Z","error_codes":[70021],"timestamp":"2023-03-10 13:37:52Z"',
  },
  {
    url: 'https://github.com/Azure/aad-pod-identity/issues/1277',
    text: "AADSTS700016: Application with identifier 'msi' was not found in the directory '<TENANT_NAME_REDACTED>'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.",
  },
  {
    url: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/1356',
    text: 'failed to get objectType:secret, objectName:Identity-Service--ClientSecret, objectVersion:: azure.BearerAuthorizer#WithAuthorization: Failed to refresh the Token for request to https://<key-vault-name>.vault.azure.net/secrets/<secret-name>/?api-version=2016-10-01: StatusCode=400 -- Original Error: adal: Refresh request failed. Status Code = \'400\'. Response body: {\\"error\\":\\"invalid_request\\",\\"error_description\\":\\"Identity not found\\"}',
  },
  {
    url: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/853',
    text: 'Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request',
  },
  {
    url: 'https://github.com/piyushsachdeva/Terraform_AKS/issues/2',
    text: 'keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="Caller is not authorized to perform action on resource.\\r\\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\\r\\nCaller: appid=0XXXXXXXX6;oid=5XXXXXXXXa;iss=https://sts.windows.net/ee4XXXXXXXXd6/\\r\\nAction: \'Microsoft.KeyVault/vaults/secrets/getSecret/action\'\\r\\nResource: \'/subscriptions/dXXXXXXXX01/resourcegroups/test-piyush1-rg/providers/microsoft.keyvault/vaults/test-piyush-kv-1011/secrets/7cXXXXXXXX96\'\\r\\nAssignment: (not found)\\r\\nDenyAssignmentId: null\\r\\nDecisionReason: \'DeniedWithNoValidRBAC\' \\r\\nVault: test-piyush-kv-1011;location=canadacentral\\r\\n" InnerError={"code":"ForbiddenByRbac"}',
  },
  // The same report carries both codes of the RBAC refusal (one row each in the table).
  { url: 'https://github.com/piyushsachdeva/Terraform_AKS/issues/2', text: '' },
  {
    url: 'AKS CSI troubleshooting text (search index file id 28269551261)',
    text: 'keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=403 -- Original Error: autorest/azure: Service returned an error. Status=403 Code="Forbidden" Message="Client address is not authorized and caller is not a trusted service.\\r\\nClient address: <IP_ADDRESS> from unknown subnet\\ r\\nVault: <KEY_VAULT_NAME>;location=westeurope" InnerError={"code":"ForbiddenByFirewall"}',
  },
  {
    url: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/873',
    text: 'Service returned an error. Status=403 Code="Forbidden" Message="Public network access is disabled and request is not from a trusted service nor via an approved private link.',
  },
  {
    url: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/497',
    text: 'MountVolume.SetUp failed for volume "secrets-volume" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod test/testpod-bf48f7867-ztd42, err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:testSecret1, objectVersion:: keyvault.BaseClient#GetSecret: Failure responding to request: StatusCode=404 -- Original Error: autorest/azure: Service returned an error. Status=404 Code="SecretNotFound" Message="A secret with (name/id) testSecret1 was not found in this key vault.',
  },
  {
    url: 'https://github.com/Azure/secrets-store-csi-driver-provider-azure/issues/590',
    text: 'GRPC error: failed to get secretproviderclass default/azure-kvname, error: SecretProviderClass.secrets-store.csi.x-k8s.io "azure-kvname" not found',
  },
  {
    url: 'https://github.com/wolfi-dev/os/pull/2527',
    text: 'MountVolume.SetUp failed for volume "melange-key" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name secrets-store.csi.k8s.io not found in the list of registered CSI drivers',
  },
]);

/** An entry with no text repeats the previous one. */
function fillRepeats(entries: { url: string; text: string }[]): { url: string; text: string }[] {
  return entries.map((entry, i) => (entry.text === '' ? { ...entry, text: entries[i - 1]!.text } : entry));
}
