/**
 * The small XML subset that Metadata API source files use (parsed and written with fast-xml-parser): one root element in the
 * metadata namespace, nested elements, text in leaf elements, no attributes below the
 * root, no CDATA, no mixed content. Enough to read the templates in force-app, change
 * values and write them back in Salesforce's own layout (4-space indent, fields in
 * the order they were read, new fields inserted alphabetically as a retrieve does).
 * Anything outside the subset is rejected with a reason instead of being guessed at.
 */

import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const INDENT = '    ';

/** An element: a leaf carries `text` (possibly empty), a parent carries `children`. */
export type XmlElement = {
  name: string;
  text?: string;
  children?: XmlElement[];
};

/** A parsed metadata file: the root element's name and its child elements. */
export type MetadataDocument = {
  root: string;
  children: XmlElement[];
};

export type FieldValue = string | boolean | number;

export class XmlFormatError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'XmlFormatError';
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for element content or attribute values (all five predefined entities, like a retrieve writes them). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves the predefined and numeric character references; an unknown entity is an error. */
export function unescapeXml(value: string): string {
  return value.replace(/&([^;&\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new XmlFormatError(`Unterminated entity reference "${whole}"`);
    if (body in NAMED_ENTITIES) return NAMED_ENTITIES[body];
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (numeric) {
      const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2], 10);
      if (code > 0x10ffff) throw new XmlFormatError(`Character reference out of range: "${whole}"`);
      return String.fromCodePoint(code);
    }
    throw new XmlFormatError(`Unknown entity "${whole}"`);
  });
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * fast-xml-parser does the tokenizing and the well-formedness check; entities are decoded (and unknown ones
 * refused) by unescapeXml, and the subset rules (one namespaced root, no attributes below it, no CDATA, no
 * mixed content) are checked on its tree.
 */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Writes in Salesforce's layout: 4-space indent, one element a line; escaping is escapeXml's (all five entities). */
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', format: true, indentBy: INDENT, suppressEmptyNode: false, processEntities: false });

type FxpNode = Record<string, unknown>;

const nameOf = (node: FxpNode): string => Object.keys(node).find((k) => k !== ':@') as string;

function toElement(node: FxpNode, fail: (message: string) => never): XmlElement {
  const name = nameOf(node);
  if (node[':@']) fail(`attributes are not allowed on <${name}>`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of node[name] as FxpNode[]) {
    const kind = nameOf(child);
    if (kind === '#comment') continue;
    if (kind === '#cdata') fail('CDATA sections are not supported in metadata source');
    if (kind === '#text') text += String(child['#text']);
    else children.push(toElement(child, fail));
  }
  if (children.length > 0) {
    if (text.trim() !== '') fail(`<${name}> mixes text and elements`);
    return { name, children };
  }
  try {
    return { name, text: unescapeXml(text) };
  } catch (error) {
    return fail(`in <${name}>: ${(error as Error).message}`);
  }
}

/**
 * Parses a metadata source file. `source` names the file in error messages.
 * The root element must carry exactly the metadata namespace and no other attribute.
 */
export function parseMetadataXml(xml: string, source = 'metadata file'): MetadataDocument {
  const text = xml.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const fail = (message: string, line?: number, column?: number): never => {
    throw new XmlFormatError(`${source}${line ? `:${line}:${column ?? 1}` : ''}: ${message}`);
  };
  if (/^<\?xml[^>]*encoding\s*=\s*["'](?!utf-8["'])/i.test(text)) fail('only UTF-8 is supported');
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail(valid.err.msg, valid.err.line, valid.err.col);
  const roots = (parser.parse(text) as FxpNode[]).filter((n) => !['#comment', '#text'].includes(nameOf(n)));
  if (roots.length !== 1) fail(roots.length === 0 ? 'expected the root element' : 'content after the root element');
  const root = roots[0];
  const name = nameOf(root);
  const attributes = (root[':@'] ?? {}) as Record<string, string>;
  for (const [attribute, value] of Object.entries(attributes)) {
    if (attribute !== 'xmlns') fail(`unexpected attribute ${attribute} on <${name}>`);
    if (value !== METADATA_NAMESPACE) fail(`<${name}> must be in the ${METADATA_NAMESPACE} namespace, not ${value}`);
  }
  if (!('xmlns' in attributes)) fail(`<${name}> lacks xmlns="${METADATA_NAMESPACE}"`);
  const element = toElement({ [name]: root[name] }, fail);
  return { root: name, children: element.children ?? [] };
}

function toNode(element: XmlElement): FxpNode {
  if (element.children !== undefined) {
    if (element.text !== undefined) throw new XmlFormatError(`<${element.name}> has both text and children`);
    return { [element.name]: element.children.map(toNode) };
  }
  return { [element.name]: element.text ? [{ '#text': escapeXml(element.text) }] : [] };
}

/** Writes a document the way Salesforce does: declaration, namespaced root, 4-space indent, trailing newline. */
export function serializeMetadataXml(doc: MetadataDocument): string {
  if (!NAME.test(doc.root)) throw new XmlFormatError(`Invalid root element name "${doc.root}"`);
  for (const child of doc.children) assertNames(child);
  const body = (builder.build([{ [doc.root]: doc.children.map(toNode), ':@': { xmlns: METADATA_NAMESPACE } }]) as string).trim();
  return `${XML_DECLARATION}\n${body}\n`;
}

function assertNames(element: XmlElement): void {
  if (!NAME.test(element.name)) throw new XmlFormatError(`Invalid element name "${element.name}"`);
  for (const child of element.children ?? []) assertNames(child);
}

/** A leaf element; booleans and numbers are written the way the Metadata API expects (`true`, `42`). */
export function field(name: string, value: FieldValue): XmlElement {
  return { name, text: String(value) };
}

/**
 * Builds a document from a list of fields. With `sort` (the default) the fields are put in
 * alphabetical order of element name, keeping the given order among equal names, which is the
 * order a retrieve produces and so keeps diffs against retrieved files small.
 */
export function buildMetadataXml(root: string, fields: readonly XmlElement[], options: { sort?: boolean } = {}): string {
  const children = options.sort === false ? [...fields] : sortByName(fields);
  return serializeMetadataXml({ root, children });
}

/** Stable sort by element name (ordinal comparison, as Salesforce orders fields). */
export function sortByName(elements: readonly XmlElement[]): XmlElement[] {
  return elements
    .map((element, index) => ({ element, index }))
    .sort((a, b) => (a.element.name < b.element.name ? -1 : a.element.name > b.element.name ? 1 : a.index - b.index))
    .map(({ element }) => element);
}

/** The text of the first top-level leaf with that name, or undefined. */
export function getText(doc: MetadataDocument, name: string): string | undefined {
  return doc.children.find((child) => child.name === name && child.text !== undefined)?.text;
}

/**
 * Sets a top-level leaf: replaces the first element with that name (and drops any repeats),
 * or inserts it before the first element whose name sorts after it.
 */
export function setText(doc: MetadataDocument, name: string, value: FieldValue): void {
  const replacement = field(name, value);
  const index = doc.children.findIndex((child) => child.name === name);
  if (index >= 0) {
    doc.children[index] = replacement;
    doc.children = doc.children.filter((child, i) => i === index || child.name !== name);
    return;
  }
  const after = doc.children.findIndex((child) => child.name > name);
  if (after < 0) doc.children.push(replacement);
  else doc.children.splice(after, 0, replacement);
}

/** Removes every top-level element with that name. */
export function removeElements(doc: MetadataDocument, name: string): void {
  doc.children = doc.children.filter((child) => child.name !== name);
}

/** Deep copy, so a template parsed once can be rendered many times. */
export function cloneDocument(doc: MetadataDocument): MetadataDocument {
  return { root: doc.root, children: doc.children.map(cloneElement) };
}

function cloneElement(element: XmlElement): XmlElement {
  return element.children !== undefined
    ? { name: element.name, children: element.children.map(cloneElement) }
    : { name: element.name, text: element.text };
}
