export type { CertGenerateResult } from './commands/anzenna/cert/generate.js';
