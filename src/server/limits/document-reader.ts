import { GraphQLError, Lexer, Source, TokenKind, parse, type DocumentNode } from 'graphql';
import { GatewayError } from '../../domain/errors/gateway-error';
import { NESTED_TOO_DEEPLY } from '../errors/format-error';

export interface DocumentReaderOptions {
  /** Most lexical tokens a document may have. */
  maxTokens: number;
  /** Most braces, brackets and parentheses open at once. */
  maxNesting: number;
  /** Parsed documents kept for reuse, and the most text they may hold in all. */
  maxEntries: number;
  maxBytes: number;
}

/**
 * Most lexical tokens a document may have, counted before it is parsed. Validation of repeated fields
 * grows faster than the document, and a 1 MiB body holds a few hundred thousand tokens; the largest
 * operation the limits allow (a thousand ids, fifty aliases, every Certificate field) is a few thousand.
 */
export const MAX_DOCUMENT_TOKENS = 20_000;

/**
 * Far deeper than any operation within the depth limits (each level is one brace, an inline fragment
 * two, an object argument a few); shallow enough that no recursive walk of the document nears the stack.
 */
export const MAX_DOCUMENT_NESTING = 128;

export const DEFAULT_DOCUMENT_READER: DocumentReaderOptions = { maxTokens: MAX_DOCUMENT_TOKENS, maxNesting: MAX_DOCUMENT_NESTING, maxEntries: 1_000, maxBytes: 8 * 1024 * 1024 };

/**
 * Turns query text into a document, the cheap limits first: one pass of the lexer counts tokens and
 * nesting without recursion, so neither a huge nor a deeply nested document reaches the parser's
 * recursive descent (or anything after it). Parsed documents are kept by their text, least recently
 * used first out, so a query asked again is not parsed again.
 */
export class DocumentReader {
  private readonly kept = new Map<string, DocumentNode>();
  private bytes = 0;

  constructor(private readonly options: DocumentReaderOptions = DEFAULT_DOCUMENT_READER) {}

  read(text: string): DocumentNode {
    const known = this.kept.get(text);
    if (known) {
      this.kept.delete(text);
      this.kept.set(text, known);
      return known;
    }
    this.scan(text);
    let document: DocumentNode;
    try {
      document = parse(text, { maxTokens: this.options.maxTokens, noLocation: false });
    } catch (error) {
      if (error instanceof RangeError) throw parseFailed(NESTED_TOO_DEEPLY);
      if (error instanceof GraphQLError) throw parseFailed(error.message);
      throw error;
    }
    this.keep(text, document);
    return document;
  }

  /** Counts tokens and open brackets in one linear pass; the lexer reports malformed text as the parser would. */
  private scan(text: string): void {
    const lexer = new Lexer(new Source(text));
    let tokens = 0;
    let open = 0;
    try {
      for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
        tokens += 1;
        if (tokens > this.options.maxTokens) {
          throw parseFailed(`Syntax Error: Document contains more than ${this.options.maxTokens} tokens. Parsing aborted.`);
        }
        if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
          open += 1;
          if (open > this.options.maxNesting) throw parseFailed(`${NESTED_TOO_DEEPLY} It nests more than ${this.options.maxNesting} levels of brackets.`);
        } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R || token.kind === TokenKind.PAREN_R) open -= 1;
      }
    } catch (error) {
      if (error instanceof GraphQLError) throw parseFailed(error.message);
      throw error;
    }
  }

  private keep(text: string, document: DocumentNode): void {
    if (text.length > this.options.maxBytes / 16) return;
    this.kept.set(text, document);
    this.bytes += text.length;
    for (const [oldest] of this.kept) {
      if (this.kept.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.kept.delete(oldest);
      this.bytes -= oldest.length;
    }
  }
}

function parseFailed(message: string): GatewayError {
  return new GatewayError('GRAPHQL_PARSE_FAILED', message, { provider: 'GATEWAY' });
}
