export * from './tree.js';
export * from './walk.js';
export * from './ingress.js';
export * from './image-pull.js';
