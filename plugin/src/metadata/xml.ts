/**
 * The small XML subset that Metadata API source files use: one root element in the
 * metadata namespace, nested elements, text in leaf elements, no attributes below the
 * root, no CDATA, no mixed content. Enough to read the templates in force-app, change
 * values and write them back in Salesforce's own layout (4-space indent, fields in
 * the order they were read, new fields inserted alphabetically as a retrieve does).
 * Anything outside the subset is rejected with a reason instead of being guessed at.
 */

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

class Scanner {
  public pos = 0;
  public constructor(private readonly text: string, private readonly source: string) {}

  public fail(message: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - before.lastIndexOf('\n');
    throw new XmlFormatError(`${this.source}:${line}:${column}: ${message}`);
  }

  public startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  public get done(): boolean {
    return this.pos >= this.text.length;
  }

  public skipWhitespace(): void {
    while (!this.done && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** Skips whitespace and comments. */
  public skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (!this.startsWith('<!--')) return;
      const end = this.text.indexOf('-->', this.pos + 4);
      if (end < 0) this.fail('unterminated comment');
      this.pos = end + 3;
    }
  }

  public readUntil(token: string, what: string): string {
    const end = this.text.indexOf(token, this.pos);
    if (end < 0) this.fail(`unterminated ${what}`);
    const value = this.text.slice(this.pos, end);
    this.pos = end + token.length;
    return value;
  }

  public readName(): string {
    const match = /^[^\s/>=]+/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!match || !NAME.test(match[0])) this.fail('expected an element name');
    this.pos += match[0].length;
    return match[0];
  }

  /** Reads `<name attrs>` or `<name attrs/>` starting at '<'; returns the name, attributes and whether it self-closes. */
  public readStartTag(): { name: string; attributes: Map<string, string>; selfClosing: boolean } {
    this.pos++; // '<'
    const name = this.readName();
    const attributes = new Map<string, string>();
    for (;;) {
      this.skipWhitespace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return { name, attributes, selfClosing: true };
      }
      if (this.startsWith('>')) {
        this.pos += 1;
        return { name, attributes, selfClosing: false };
      }
      const attribute = this.readName();
      this.skipWhitespace();
      if (!this.startsWith('=')) this.fail(`expected "=" after attribute ${attribute}`);
      this.pos++;
      this.skipWhitespace();
      const quote = this.text[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`expected a quoted value for attribute ${attribute}`);
      this.pos++;
      const value = this.readUntil(quote, 'attribute value');
      if (attributes.has(attribute)) this.fail(`duplicate attribute ${attribute}`);
      attributes.set(attribute, unescapeXml(value));
    }
  }

  /** Reads the content of an element whose start tag was just read, through its end tag. */
  public readContent(name: string): XmlElement {
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (this.done) this.fail(`missing </${name}>`);
      if (this.startsWith('</')) {
        this.pos += 2;
        const closing = this.readName();
        this.skipWhitespace();
        if (!this.startsWith('>')) this.fail(`malformed end tag </${closing}`);
        this.pos++;
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        break;
      }
      if (this.startsWith('<!--')) {
        this.readUntil('-->', 'comment');
        continue;
      }
      if (this.startsWith('<![CDATA[')) this.fail('CDATA sections are not supported in metadata source');
      if (this.startsWith('<!') || this.startsWith('<?')) this.fail('unexpected markup declaration or processing instruction');
      if (this.startsWith('<')) {
        const start = this.readStartTag();
        if (start.attributes.size > 0) this.fail(`attributes are not allowed on <${start.name}>`);
        children.push(start.selfClosing ? { name: start.name, text: '' } : this.readContent(start.name));
        continue;
      }
      const next = this.text.indexOf('<', this.pos);
      const end = next < 0 ? this.text.length : next;
      text += this.text.slice(this.pos, end);
      this.pos = end;
    }
    if (children.length > 0) {
      if (text.trim() !== '') this.fail(`<${name}> mixes text and elements`);
      return { name, children };
    }
    try {
      return { name, text: unescapeXml(text) };
    } catch (error) {
      return this.fail(`in <${name}>: ${(error as Error).message}`);
    }
  }
}

/**
 * Parses a metadata source file. `source` names the file in error messages.
 * The root element must carry exactly the metadata namespace and no other attribute.
 */
export function parseMetadataXml(xml: string, source = 'metadata file'): MetadataDocument {
  const scanner = new Scanner(xml.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), source);
  if (scanner.startsWith('<?xml')) {
    const declaration = scanner.readUntil('?>', 'XML declaration');
    if (/encoding\s*=\s*["'](?!utf-8["'])/i.test(declaration)) scanner.fail('only UTF-8 is supported');
  }
  scanner.skipMisc();
  if (!scanner.startsWith('<') || scanner.startsWith('</') || scanner.startsWith('<!') || scanner.startsWith('<?')) {
    scanner.fail('expected the root element');
  }
  const start = scanner.readStartTag();
  for (const [attribute, value] of start.attributes) {
    if (attribute !== 'xmlns') scanner.fail(`unexpected attribute ${attribute} on <${start.name}>`);
    if (value !== METADATA_NAMESPACE) scanner.fail(`<${start.name}> must be in the ${METADATA_NAMESPACE} namespace, not ${value}`);
  }
  if (!start.attributes.has('xmlns')) scanner.fail(`<${start.name}> lacks xmlns="${METADATA_NAMESPACE}"`);
  const root: XmlElement = start.selfClosing ? { name: start.name, children: [] } : scanner.readContent(start.name);
  scanner.skipMisc();
  if (!scanner.done) scanner.fail('content after the root element');
  return { root: start.name, children: root.children ?? [] };
}

function serializeElement(element: XmlElement, depth: number): string {
  const pad = INDENT.repeat(depth);
  if (element.children !== undefined) {
    if (element.text !== undefined) throw new XmlFormatError(`<${element.name}> has both text and children`);
    const inner = element.children.map((child) => serializeElement(child, depth + 1)).join('');
    return `${pad}<${element.name}>\n${inner}${pad}</${element.name}>\n`;
  }
  return `${pad}<${element.name}>${escapeXml(element.text ?? '')}</${element.name}>\n`;
}

/** Writes a document the way Salesforce does: declaration, namespaced root, 4-space indent, trailing newline. */
export function serializeMetadataXml(doc: MetadataDocument): string {
  if (!NAME.test(doc.root)) throw new XmlFormatError(`Invalid root element name "${doc.root}"`);
  for (const child of doc.children) assertNames(child);
  const body = doc.children.map((child) => serializeElement(child, 1)).join('');
  return `${XML_DECLARATION}\n<${doc.root} xmlns="${METADATA_NAMESPACE}">\n${body}</${doc.root}>\n`;
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
