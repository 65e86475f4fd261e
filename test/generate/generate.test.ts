/**
 * `sf anzenna metadata generate` in-process (runGenerate, the real file system and @salesforce/core's project
 * reading): what it writes, that setup's metadata source recognises it for any app name, the statuses of a
 * second run, conflicts and --force, the merge into an existing scratch definition and ignore files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import type { SfError } from '@salesforce/core';
import { runGenerate, type GenerateResult } from '../../plugin/src/generate/run-generate.js';
import { getText, loadTemplates, parseMetadataXml, renderDocuments, SCRATCH_DEF } from '../../plugin/src/metadata/index.js';
import { findMetadataSource } from '../../plugin/src/project/source.js';
import { repoRoot, tempDir } from '../helpers/cli.js';
import { listFiles } from '../metadata/helpers.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** An empty SFDX project as `sf project generate` leaves it (minus the sample files), with optional plugins.anzenna. */
function emptyProject(anzenna?: Record<string, unknown>): string {
  const dir = tempDir('gen-project');
  made.push(dir);
  mkdirSync(join(dir, 'force-app'));
  const project = { packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0', ...(anzenna ? { plugins: { anzenna } } : {}) };
  writeFileSync(join(dir, 'sfdx-project.json'), JSON.stringify(project, null, 2));
  return dir;
}

const statuses = (result: GenerateResult): Record<string, string> => Object.fromEntries(result.files.map((f) => [f.path, f.status]));
const text = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

describe('metadata generate', () => {
  it('writes the default app into the default package directory, never the global OAuth settings', async () => {
    const dir = emptyProject();
    const result = await runGenerate({ flags: { 'contact-email': 'secops@acme.com', 'view-all-data': true }, force: false, cwd: dir });
    assert.equal(result.appName, 'Anzenna');
    assert.equal(result.packageDir, join(dir, 'force-app'));
    assert.deepEqual(listFiles(join(dir, 'force-app')).sort(), [
      'main/default/externalClientApps/Anzenna.eca-meta.xml',
      'main/default/extlClntAppOauthPolicies/Anzenna_oauth_defaultPolicy.ecaOauthPlcy-meta.xml',
      'main/default/extlClntAppOauthSettings/Anzenna_oauth.ecaOauth-meta.xml',
      'main/default/extlClntAppPolicies/Anzenna_defaultPolicy.ecaPlcy-meta.xml',
      'main/default/permissionsets/Event_Monitoring_Access.permissionset-meta.xml',
      'main/default/profiles/Anzenna Integration.profile-meta.xml',
      'optional/event-log-generation/settings/Event.settings-meta.xml',
      'optional/view-all-data/permissionsets/Anzenna_View_All_Data.permissionset-meta.xml',
    ]);
    assert.ok(result.files.every((f) => f.status === 'created'), JSON.stringify(result.files));
    const eca = parseMetadataXml(text(dir, 'force-app/main/default/externalClientApps/Anzenna.eca-meta.xml'));
    assert.equal(getText(eca, 'contactEmail'), 'secops@acme.com');
    const policy = parseMetadataXml(text(dir, 'force-app/main/default/extlClntAppOauthPolicies/Anzenna_oauth_defaultPolicy.ecaOauthPlcy-meta.xml'));
    assert.equal(getText(policy, 'commaSeparatedPermissionSet'), 'Event_Monitoring_Access,Anzenna_View_All_Data');
    assert.equal(getText(policy, 'ipRelaxationPolicyType'), 'Bypass');
    const scratch = JSON.parse(text(dir, 'config/project-scratch-def.json')) as typeof SCRATCH_DEF;
    assert.deepEqual(scratch.features, ['EventLogFile']);
    for (const ignore of ['.forceignore', '.gitignore']) {
      const lines = text(dir, ignore).split('\n');
      assert.ok(lines.includes('**/extlClntAppGlobalOauthSets/'), `${ignore}: ${lines.join('|')}`);
      assert.ok(lines.includes('anzenna-jwt/'), `${ignore} holds the key folder`);
    }
  });

  it('takes a non-default app from plugins.anzenna, and setup recognises the project copy for it', async () => {
    const dir = emptyProject({ appName: 'Acme_Monitoring', label: 'Acme Monitoring', ipRelaxation: 'enforce', outputDir: 'keys/jwt' });
    const result = await runGenerate({ flags: { 'setup-audit': true }, force: false, cwd: dir });
    assert.equal(result.appName, 'Acme_Monitoring');
    const files = listFiles(join(dir, 'force-app'));
    assert.ok(files.includes('main/default/externalClientApps/Acme_Monitoring.eca-meta.xml'));
    assert.ok(files.includes('main/default/permissionsets/Acme_Monitoring_Event_Monitoring_Access.permissionset-meta.xml'));
    assert.ok(files.includes('optional/setup-audit/permissionsets/Acme_Monitoring_Setup_Audit.permissionset-meta.xml'));
    assert.ok(!files.some((f) => f.includes('Anzenna')), files.join(', '));
    assert.ok(text(dir, '.gitignore').split('\n').includes('keys/jwt/'), 'the key folder of plugins.anzenna is ignored');

    const source = await findMetadataSource(dir);
    assert.equal(source.origin, 'project');
    assert.equal(resolve(source.dir), join(dir, 'force-app'));
    // Setup renders from the project's copy: for the same choices it comes out as the files written, and the
    // opt-in the project lacks (view all data) still renders, from the bundled template.
    const bundle = renderDocuments(await loadTemplates(source.dir), { appName: 'Acme_Monitoring', label: 'Acme Monitoring', contactEmail: 'support@anzenna.ai', ipRelaxation: 'Enforce', viewAllData: true, setupAudit: true });
    const eca = bundle.documents.find((d) => d.key === 'eca');
    assert.equal(eca?.xml, text(dir, 'force-app/main/default/externalClientApps/Acme_Monitoring.eca-meta.xml'));
    assert.ok(bundle.documents.some((d) => d.fullName === 'Acme_Monitoring_View_All_Data'));
    assert.deepEqual(result.otherApps, []);

    // A second app generated into the same package directory is named: the project copy is no longer one app's.
    const second = await runGenerate({ flags: { 'app-name': 'Other_App' }, force: false, cwd: dir });
    assert.deepEqual(second.otherApps, ['Acme_Monitoring']);
    assert.equal((await findMetadataSource(dir)).origin, 'bundled');
  });

  it('a second run leaves every file unchanged; a hand-edited file is a conflict, and nothing is written', async () => {
    const dir = emptyProject();
    await runGenerate({ flags: {}, force: false, cwd: dir });
    const again = await runGenerate({ flags: {}, force: false, cwd: dir });
    assert.ok(again.files.every((f) => f.status === 'unchanged'), JSON.stringify(again.files));

    const ecaPath = 'force-app/main/default/externalClientApps/Anzenna.eca-meta.xml';
    const edited = text(dir, ecaPath).replace('support@anzenna.ai', 'me@acme.com');
    writeFileSync(join(dir, ecaPath), edited);
    const profilePath = 'force-app/main/default/profiles/Anzenna Integration.profile-meta.xml';
    rmSync(join(dir, profilePath));
    const error = await runGenerate({ flags: {}, force: false, cwd: dir }).then(
      () => assert.fail('expected GeneratedFilesChangedError'),
      (e: SfError) => e
    );
    assert.equal(error.name, 'GeneratedFilesChangedError');
    assert.match(error.message, /Anzenna\.eca-meta\.xml\n\s+contactEmail: me@acme\.com → support@anzenna\.ai/);
    assert.ok((error.actions ?? []).some((a) => a.includes('--force')));
    const listed = (error.data as { files: GenerateResult['files'] }).files;
    assert.equal(listed.find((f) => f.path === ecaPath)?.status, 'conflict');
    assert.equal(listed.find((f) => f.path === profilePath)?.status, 'created');
    assert.equal(text(dir, ecaPath), edited, 'the edited file is kept');
    assert.ok(!existsSync(join(dir, profilePath)), 'nothing is written while a file is in conflict');

    const forced = await runGenerate({ flags: {}, force: true, cwd: dir });
    assert.equal(statuses(forced)[ecaPath], 'updated');
    assert.equal(statuses(forced)[profilePath], 'created');
    assert.match(text(dir, ecaPath), /support@anzenna\.ai/);
  });

  it('formatting alone is no difference; a changed choice is a conflict naming the field', async () => {
    const dir = emptyProject();
    await runGenerate({ flags: {}, force: false, cwd: dir });
    const settingsPath = 'force-app/main/default/extlClntAppOauthSettings/Anzenna_oauth.ecaOauth-meta.xml';
    const reformatted = text(dir, settingsPath).replace(/\n {4}/g, '\n\t');
    assert.notEqual(reformatted, text(dir, settingsPath));
    writeFileSync(join(dir, settingsPath), reformatted);
    const result = await runGenerate({ flags: {}, force: false, cwd: dir });
    assert.equal(statuses(result)[settingsPath], 'unchanged');
    await assert.rejects(runGenerate({ flags: { 'ip-relaxation': 'enforce' }, force: false, cwd: dir }), (e: SfError) => {
      assert.equal(e.name, 'GeneratedFilesChangedError');
      assert.match(e.message, /ipRelaxationPolicyType: Bypass → Enforce/);
      return true;
    });
  });

  it("adds only what is missing to the project's own scratch definition and ignore files", async () => {
    const dir = emptyProject();
    mkdirSync(join(dir, 'config'));
    const own = { orgName: 'Acme', edition: 'Developer', features: ['EnableSetPasswordInApi'], settings: { lightningExperienceSettings: { enableS1DesktopEnabled: true } } };
    writeFileSync(join(dir, 'config', 'project-scratch-def.json'), JSON.stringify(own, null, 2));
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\nanzenna-jwt\n');
    writeFileSync(join(dir, '.forceignore'), '**/extlClntAppGlobalOauthSets/**\nanzenna-jwt/\n');
    const result = await runGenerate({ flags: {}, force: false, cwd: dir });
    assert.equal(statuses(result)['config/project-scratch-def.json'], 'updated');
    assert.equal(statuses(result)['.forceignore'], 'unchanged');
    assert.equal(statuses(result)['.gitignore'], 'updated');
    const merged = JSON.parse(text(dir, 'config/project-scratch-def.json')) as Record<string, unknown>;
    assert.deepEqual(merged, {
      ...own,
      features: ['EnableSetPasswordInApi', 'EventLogFile'],
      settings: { ...own.settings, ...SCRATCH_DEF.settings },
    });
    const gitignore = text(dir, '.gitignore').split('\n');
    assert.deepEqual(gitignore.slice(0, 2), ['node_modules/', 'anzenna-jwt'], 'the own lines are kept');
    assert.equal(gitignore.filter((l) => l.startsWith('anzenna-jwt')).length, 1, 'a present entry is not repeated');
    assert.ok(gitignore.includes('**/extlClntAppGlobalOauthSets/'));

    const again = await runGenerate({ flags: {}, force: false, cwd: dir });
    assert.ok(again.files.every((f) => f.status === 'unchanged'), JSON.stringify(again.files));

    writeFileSync(join(dir, 'config', 'project-scratch-def.json'), JSON.stringify({ ...merged, settings: { eventSettings: { enableEventLogGeneration: false } } }));
    await assert.rejects(runGenerate({ flags: {}, force: false, cwd: dir }), /settings\.eventSettings\.enableEventLogGeneration: false → true/);
    const forced = await runGenerate({ flags: {}, force: true, cwd: dir });
    assert.equal(statuses(forced)['config/project-scratch-def.json'], 'updated');
    assert.equal((JSON.parse(text(dir, 'config/project-scratch-def.json')) as typeof SCRATCH_DEF).settings.eventSettings.enableEventLogGeneration, true);
  });

  it('outside a project: a named error with actions, or --output-dir', async () => {
    const outside = tempDir('gen-outside');
    made.push(outside);
    await assert.rejects(runGenerate({ flags: {}, force: false, cwd: outside }), (e: SfError) => {
      assert.equal(e.name, 'NotInSfdxProjectError');
      assert.ok((e.actions ?? []).some((a) => a.includes('--output-dir')));
      return true;
    });
    assert.deepEqual(listFiles(outside), [], 'nothing written');
    const result = await runGenerate({ flags: {}, outputDir: 'metadata', force: false, cwd: outside });
    assert.equal(result.packageDir, join(outside, 'metadata'));
    assert.ok(existsSync(join(outside, 'metadata', 'main', 'default', 'externalClientApps', 'Anzenna.eca-meta.xml')));
    assert.ok(text(join(outside, 'metadata'), '.forceignore').includes('**/extlClntAppGlobalOauthSets/'), 'the ignore entries sit beside the metadata');
  });

  it("writes the scratch definition of this repository's config", () => {
    assert.deepEqual(JSON.parse(readFileSync(join(repoRoot, 'config', 'project-scratch-def.json'), 'utf8')), SCRATCH_DEF);
  });
});
