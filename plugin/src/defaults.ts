/** Product defaults shared by the commands: the vendor's app name and contact, as the Anzenna guide gives them. */
export const DEFAULT_APP_NAME = 'Anzenna';
export const DEFAULT_CONTACT_EMAIL = 'support@anzenna.ai';

/** File base for key and certificate files: the app name in lower case, reduced to safe characters. */
export function fileBaseForApp(appName: string): string {
  const base = appName.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return base.length > 0 ? base : 'anzenna';
}
