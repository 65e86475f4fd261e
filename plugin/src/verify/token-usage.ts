/** The OAuth usage resources moved down to org/oauth-usage.ts (status and revoke read them too). */
export * from '../org/oauth-usage.js';
