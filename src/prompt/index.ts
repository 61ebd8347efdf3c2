export { walk } from './walk.js';
export type { WalkOptions, WalkResult } from './walk.js';
export { loadPrompts, WalkCancelled } from './ask.js';
export type { Prompts, Terminal } from './ask.js';
export { NO_AZURE } from './azure.js';
export type { AzureLookups, AzureResource, AzureSubscription, VaultNameAnswer } from './azure.js';
export type { DeliveryPreview, WalkChecks } from './state.js';
