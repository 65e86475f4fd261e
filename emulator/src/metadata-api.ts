/**
 * POST /services/Soap/m/{version}: the Metadata SOAP API (deploy, checkDeployStatus, cancelDeploy,
 * retrieve, checkRetrieveStatus, listMetadata, readMetadata) with the envelope shapes jsforce and
 * SDR accept (prefixed soapenv:Envelope/Body, componentType in every DeployMessage).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import type { EmulatorContext } from './context.js';
import { MetadataEngine, type DeployJob, type DeployMessage } from './deploy.js';
import { readBody, sendXml } from './http-util.js';
import { typeByName } from './metadata-types.js';
import { asArray, escapeXml, isoDateTime } from './util.js';

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, ignoreDeclaration: true });

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** Serialises a plain object to XML elements (arrays repeat, nested objects nest). `@type` becomes xsi:type. */
export function toXml(value: unknown, name: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(v, name)).join('');
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const attr = obj['@type'] ? ` xsi:type="${escapeXml(String(obj['@type']))}"` : '';
    const inner = Object.entries(obj)
      .filter(([k]) => k !== '@type')
      .map(([k, v]) => toXml(v, k))
      .join('');
    return `<${name}${attr}>${inner}</${name}>`;
  }
  const text = escapeXml(String(value));
  return text === '' ? `<${name}></${name}>` : `<${name}>${text}</${name}>`;
}

export function soapFault(code: string, message: string): string {
  return `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring></soapenv:Fault>${ENVELOPE_CLOSE}`;
}

export class MetadataApi {
  public readonly engine: MetadataEngine;

  public constructor(private readonly ctx: EmulatorContext) {
    this.engine = new MetadataEngine(ctx);
  }

  public async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = (await readBody(req)).toString('utf8');
    let env: Record<string, unknown>;
    try {
      env = (parser.parse(text) as Record<string, Record<string, unknown>>).Envelope ?? {};
    } catch {
      sendXml(res, 500, soapFault('INVALID_XML', 'could not parse request'));
      return;
    }
    const header = (env.Header ?? {}) as Record<string, Record<string, unknown>>;
    const sessionId = String(header.SessionHeader?.sessionId ?? '');
    const session = this.ctx.state.sessionFor(sessionId);
    if (!session) {
      sendXml(res, 500, soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session'));
      return;
    }
    if (!this.ctx.state.apiEnabled) {
      sendXml(res, 500, soapFault('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner'));
      return;
    }
    if (!this.ctx.state.effectivePermissions(session.userId).has('ApiEnabled')) {
      sendXml(res, 500, soapFault('API_CURRENTLY_DISABLED', 'API is disabled for this User'));
      return;
    }
    const body = (env.Body ?? {}) as Record<string, unknown>;
    const op = Object.keys(body)[0] ?? '';
    const args = (body[op] ?? {}) as Record<string, unknown>;
    if (this.ctx.operation(req, res, op)) return;
    const reply = (results: unknown): void => {
      const inner = asArray(results as unknown[]).map((r) => toXml(r, 'result')).join('');
      sendXml(res, 200, `${ENVELOPE_OPEN}<${op}Response>${inner}</${op}Response>${ENVELOPE_CLOSE}`);
    };
    const { engine } = this;
    switch (op) {
      case 'deploy': {
        const o = (args.DeployOptions ?? {}) as Record<string, unknown>;
        const flag = (k: string, dflt: boolean): boolean => (o[k] === undefined ? dflt : String(o[k]) === 'true');
        const job = engine.startDeploy(Buffer.from(String(args.ZipFile ?? ''), 'base64'), {
          rollbackOnError: flag('rollbackOnError', true),
          checkOnly: flag('checkOnly', false),
          ignoreWarnings: flag('ignoreWarnings', false),
          singlePackage: flag('singlePackage', false),
        }, session.userId);
        reply({ done: 'false', id: job.id, state: 'Queued' });
        return;
      }
      case 'checkDeployStatus': {
        const job = engine.deploys.get(String(args.asyncProcessId ?? ''));
        if (!job) {
          sendXml(res, 500, soapFault('INVALID_ID_FIELD', 'Invalid id'));
          return;
        }
        reply(this.deployResult(engine.view(job), String(args.includeDetails) === 'true'));
        return;
      }
      case 'cancelDeploy': {
        const job = engine.deploys.get(String(args.id ?? args.String ?? ''));
        if (!job) {
          sendXml(res, 500, soapFault('INVALID_ID_FIELD', 'Invalid id'));
          return;
        }
        engine.cancel(job);
        reply({ done: String(job.done), id: job.id });
        return;
      }
      case 'retrieve': {
        const job = engine.startRetrieve((args.request ?? args.retrieveRequest ?? {}) as Record<string, unknown>);
        reply({ done: 'false', id: job.id, state: 'Queued' });
        return;
      }
      case 'checkRetrieveStatus': {
        const job = engine.retrieves.get(String(args.asyncProcessId ?? ''));
        if (!job) {
          sendXml(res, 500, soapFault('INVALID_ID_FIELD', 'Invalid id'));
          return;
        }
        if (!job.done) {
          reply({ done: 'false', id: job.id, status: 'InProgress', success: 'false' });
          return;
        }
        reply({
          done: 'true',
          fileProperties: job.fileProperties,
          id: job.id,
          messages: job.messages,
          status: job.status,
          success: String(job.status === 'Succeeded'),
          zipFile: job.zipFile ?? '',
        });
        return;
      }
      case 'listMetadata': {
        const out: Record<string, unknown>[] = [];
        for (const q of asArray(args.queries as Record<string, unknown> | Record<string, unknown>[])) {
          const type = String(q.type ?? '');
          if (!typeByName(type)) continue;
          for (const c of engine.listComponents(type)) out.push(engine.fileProperties(c));
        }
        reply(out);
        return;
      }
      case 'readMetadata': {
        const type = String(args.type ?? '');
        if (this.ctx.faults.readRefused.has(type)) {
          sendXml(res, 500, soapFault('INVALID_TYPE', `readMetadata is not supported for the type ${type}`));
          return;
        }
        const names = asArray(args.fullNames as string | string[]).map(String);
        // Settings are read by their own type name (EventSettings, fullName Event), as on a real org.
        const settingsName = !typeByName(type) && type.endsWith('Settings') ? type.slice(0, -'Settings'.length) : undefined;
        const all = typeByName(type)
          ? engine.listComponents(type)
          : settingsName
            ? engine.listComponents('Settings').filter((c) => c.fullName.toLowerCase() === settingsName.toLowerCase())
            : [];
        const records = names
          .map((n) => all.find((c) => c.fullName.toLowerCase() === n.toLowerCase()))
          .map((c) => (c ? { '@type': type, fullName: c.fullName, ...engine.outgoingData(c) } : { '@type': type }));
        reply({ records });
        return;
      }
      default:
        sendXml(res, 500, soapFault('INVALID_OPERATION', `Unsupported operation: ${op}`));
    }
  }

  private deployResult(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
    const user = this.ctx.state.byId('User', job.userId);
    const msg = (m: DeployMessage): Record<string, unknown> => ({
      changed: String(m.changed),
      componentType: m.componentType,
      created: String(m.created),
      createdDate: m.createdDate,
      deleted: String(m.deleted),
      fileName: m.fileName,
      fullName: m.fullName,
      ...(m.id ? { id: m.id } : {}),
      ...(m.problem !== undefined ? { columnNumber: m.columnNumber ?? 1, lineNumber: m.lineNumber ?? 1, problem: m.problem, problemType: m.problemType ?? 'Error' } : {}),
      success: String(m.success),
    });
    const result: Record<string, unknown> = {
      checkOnly: String(job.options.checkOnly),
      ...(job.completedAt ? { completedDate: isoDateTime(job.completedAt) } : {}),
      createdBy: job.userId,
      createdByName: String(user?.Name ?? 'Admin User'),
      createdDate: isoDateTime(job.createdAt),
    };
    if (includeDetails && job.done) {
      result.details = {
        componentFailures: job.failures.map(msg),
        componentSuccesses: job.successes.map(msg),
        runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0 },
      };
    }
    Object.assign(result, {
      done: String(job.done),
      ...(job.errorMessage ? { errorMessage: job.errorMessage, errorStatusCode: job.errorStatusCode } : {}),
      id: job.id,
      ignoreWarnings: String(job.options.ignoreWarnings),
      lastModifiedDate: isoDateTime(job.completedAt ?? Date.now()),
      numberComponentErrors: job.failures.length,
      numberComponentsDeployed: job.deployed,
      numberComponentsTotal: job.total,
      numberTestErrors: 0,
      numberTestsCompleted: 0,
      numberTestsTotal: 0,
      rollbackOnError: String(job.options.rollbackOnError),
      runTestsEnabled: 'false',
      startDate: isoDateTime(job.startedAt),
      status: job.status,
      success: String(job.status === 'Succeeded' || job.status === 'SucceededPartial'),
    });
    return result;
  }
}
