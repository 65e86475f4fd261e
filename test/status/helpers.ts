/**
 * Shared by the status and revoke tests: an emulated org set up the way a vendor that holds its own key is
 * (setup given only the vendor's certificate), and a JWT bearer login as the integration user the way the
 * vendor's collector does it (signed with the vendor's key, posted straight to the org's token endpoint).
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeKeyPair, postToken, signJwt, type KeyPair } from '../emulator/test-helpers.js';
import { tempDir } from '../helpers/cli.js';
import { emulatedOrg, type EmulatedOrg } from '../helpers/emulated-org.js';
import type { SetupResult } from '../../plugin/src/setup/result.js';

export type VendorOrg = { o: EmulatedOrg; vendor: KeyPair; certPath: string; consumerKey: string; username: string };

/** `sf anzenna setup --certificate-file <vendor cert.pem>`: no proof from here, so LoginHistory stays empty. */
export async function vendorOrg(): Promise<VendorOrg> {
  const o = await emulatedOrg();
  const dir = tempDir('vendor');
  const vendor = makeKeyPair(dir, 'vendor');
  const certPath = join(dir, 'cert.pem');
  writeFileSync(certPath, vendor.certPem);
  const setup = await o.run<SetupResult>(['anzenna', 'setup', '-o', 'emu', '--certificate-file', certPath, '--no-prompt', '--json']);
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  const result = setup.json?.result as SetupResult;
  return { o, vendor, certPath, consumerKey: result.consumerKey ?? assert.fail('setup returns the consumer key'), username: result.username };
}

/** The vendor's JWT bearer login; `expired` signs an assertion whose exp has passed (a failed attempt the org records). */
export async function vendorLogin(v: VendorOrg, options: { expired?: boolean } = {}): Promise<{ status: number; body: Record<string, string> }> {
  const exp = Math.floor(Date.now() / 1000) + (options.expired ? -600 : 180);
  return postToken(v.o.emu.url, signJwt(v.vendor.privateKey, { iss: v.consumerKey, sub: v.username, aud: v.o.emu.url, exp }));
}
