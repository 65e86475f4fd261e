/**
 * Switches between reported real-org behaviours that we cannot settle without a real org. Each is an
 * emulator option (in process and on the command line) and can be flipped at run time through the
 * scenario API. Evidence for each is in emulator/README.md ("What real orgs are reported to do").
 */
export interface OrgBehaviour {
  /**
   * Accept `https://login.salesforce.com` (production) / `https://test.salesforce.com` (sandbox) as the JWT
   * audience of an External Client App, as before Spring '26. Default false: those audiences get
   * `app_not_found` (n8n #28990, forcedotcom/cli #3482).
   */
  legacyLoginAudience: boolean;
  /** The global OAuth settings read back (retrieve, readMetadata) without the certificate. UNVERIFIED report. */
  certificateUnreadable: boolean;
  /** `isPkceRequired` reads back `true` whatever was deployed. UNVERIFIED report. */
  pkceAlwaysOn: boolean;
  /**
   * An OAuth policy that pre-authorizes a permission set carrying the Salesforce API Integration permission
   * set licence is refused on deploy (KB 001453686, stated for Connected Apps). UNVERIFIED for ECAs.
   */
  rejectLicensedPermissionSetInPolicy: boolean;
  /**
   * Revoking an app's tokens (`DELETE /apps/oauth/usage/<app>/tokens`) answers 204 but leaves the access
   * tokens of JWT bearer logins working (and listed) until they expire: the guide speaks of refresh tokens,
   * and the JWT flow issues none. UNVERIFIED either way (off by default).
   */
  revocationKeepsAccessTokens: boolean;
}

export const DEFAULT_BEHAVIOUR: OrgBehaviour = {
  legacyLoginAudience: false,
  certificateUnreadable: false,
  pkceAlwaysOn: false,
  rejectLicensedPermissionSetInPolicy: false,
  revocationKeepsAccessTokens: false,
};

export const BEHAVIOUR_FLAGS: Record<keyof OrgBehaviour, string> = {
  legacyLoginAudience: 'legacy-login-audience',
  certificateUnreadable: 'certificate-unreadable',
  pkceAlwaysOn: 'pkce-always-on',
  rejectLicensedPermissionSetInPolicy: 'reject-licensed-permission-set',
  revocationKeepsAccessTokens: 'revocation-keeps-access-tokens',
};
