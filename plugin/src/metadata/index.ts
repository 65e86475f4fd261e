/** Pure metadata helpers: names, XML, the global OAuth settings template and the bundle renderer (no SDR or jsforce). */
export * from './names.js';
export * from './xml.js';
export * from './global-oauth-settings.js';
export * from './render.js';
export * from './ip-ranges.js';
export { holdsTemplates, sourceAppNames, templateAppName, templateFiles, type TemplateFile } from './template-source.js';
export * from './project-files.js';
