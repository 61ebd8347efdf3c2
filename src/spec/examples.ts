import type { SpecInput } from './types.js';

/**
 * The guide's own example values. Snippets for documentation use them for whatever the flags leave
 * out, so that `snippet secretproviderclass --app web` alone gives a complete, sensible file.
 */
export const GUIDE_EXAMPLE: SpecInput = {
  app: 'myapp',
  namespace: 'production',
  resourceGroup: 'myRG',
  cluster: 'myCluster',
  secrets: ['db-password', 'api-key'],
};
