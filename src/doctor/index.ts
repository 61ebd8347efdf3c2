export * from './types.js';
export { diagnose } from './diagnose.js';
export { firstToFix, LINK } from './context.js';
export { SIGNATURES, signatureOf } from './signatures.js';
export { parseCluster, parseCredentials, parseIdentity, parseRoleAssignments, parseVault } from './azure.js';
export { humanReport, jsonReport } from './report.js';
