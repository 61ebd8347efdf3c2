export * from './types.js';
export * from './rules.js';
export * from './fields.js';
export * from './secrets.js';
export * from './build.js';
export * from './config.js';
export * from './examples.js';
export * from './yaml-text.js';
