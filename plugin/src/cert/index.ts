export * from './key-pair.js';
export * from './certificate.js';
export * from './inspect.js';
export * from './files.js';
export * from './generate.js';
export * from './download.js';
