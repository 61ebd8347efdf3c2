export * from './tree.js';
export * from './walk.js';
