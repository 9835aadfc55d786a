// Multi-document YAML parsing that never throws: each document carries either its value or an error message.
// Internal: not re-exported from the package.
import * as YAML from 'yaml';

/** One document of a YAML stream. */
export interface YamlDocument {
  /** Zero-based position in the stream. */
  readonly index: number;
  /** The parsed value (undefined when `error` is set; null for an empty document). */
  readonly value?: any;
  /** Why the document could not be parsed. */
  readonly error?: string;
}

function describeYamlError(e: { message: string; linePos?: Array<{ line: number; col: number }> }): string {
  const first = e.message.split('\n')[0].replace(/:$/, '');
  if (/ at line \d+/.test(first) || !e.linePos || e.linePos.length === 0) return first;
  return `${first} at line ${e.linePos[0].line}, column ${e.linePos[0].col}`;
}

/** Parses every document of `text`. */
export function parseYamlDocuments(text: string): YamlDocument[] {
  let docs: YAML.Document.Parsed[];
  try {
    docs = YAML.parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true }) as YAML.Document.Parsed[];
  } catch (e) {
    return [{ index: 0, error: (e as Error).message.split('\n')[0] }];
  }
  if (!Array.isArray(docs)) {
    // an EmptyStream
    return [];
  }
  return docs.map((doc, index) => {
    if (doc.errors.length > 0) {
      return { index, error: doc.errors.map(describeYamlError).join('; ') };
    }
    try {
      return { index, value: doc.toJS({ maxAliasCount: 1000 }) };
    } catch (e) {
      return { index, error: (e as Error).message.split('\n')[0] };
    }
  });
}
