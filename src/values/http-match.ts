import { IConstruct } from 'constructs';
import { fail, show } from '../private/errors';

/** How an `HttpMatch` compares. */
export enum MatchKind {
  /** The whole value must be equal. */
  EXACT = 'exact',
  /** The value must start with the given string. */
  PREFIX = 'prefix',
  /** An RE2 regular expression (VirtualService routes only; linted). */
  REGEX = 'regex',
}

/**
 * A match on a URI path (or another request string).
 *
 * Prefer `exact` and `prefix`: Istio evaluates route matches in order, and regexes are harder to review.
 * AuthorizationPolicies accept only `exact` and `prefix`.
 */
export class HttpMatch {
  /** Matches exactly this path. */
  public static exact(value: string): HttpMatch {
    return new HttpMatch(MatchKind.EXACT, value);
  }

  /** Matches every path that starts with this prefix. */
  public static prefix(value: string): HttpMatch {
    return new HttpMatch(MatchKind.PREFIX, value);
  }

  /** Matches an RE2 regular expression. Only VirtualService routes accept it. */
  public static regex(value: string): HttpMatch {
    return new HttpMatch(MatchKind.REGEX, value);
  }

  /** The kind of match. */
  public readonly kind: MatchKind;
  /** The string compared. */
  public readonly value: string;

  private constructor(kind: MatchKind, value: string) {
    this.kind = kind;
    this.value = value;
  }

  /** Human-readable form, e.g. `prefix:/api`. */
  public toString(): string {
    return `${this.kind}:${this.value}`;
  }

  /**
   * Checks the match for a path position.
   * @internal
   */
  public _validatePath(scope: IConstruct, prop: string, options: { allowRegex: boolean }): void {
    if (typeof this.value !== 'string') fail(scope, `${prop} must be a string, got ${show(this.value)}`);
    if (this.kind === MatchKind.REGEX) {
      if (!options.allowRegex) fail(scope, `${prop} must be HttpMatch.exact() or HttpMatch.prefix(); regex paths are not allowed here, got regex ${show(this.value)}`);
      if (this.value.length === 0 || this.value.length > 1024) fail(scope, `${prop} regex must be 1 to 1024 characters long, got ${this.value.length}`);
      if (/\(\?[=!<]|\\[1-9]/.test(this.value)) fail(scope, `${prop} must be an RE2 regex (no look-around, no back-references), got ${show(this.value)}`);
      try {
        new RegExp(this.value);
      } catch {
        fail(scope, `${prop} is not a valid regular expression: ${show(this.value)}`);
      }
      return;
    }
    if (!this.value.startsWith('/')) fail(scope, `${prop} must start with '/', got ${show(this.value)}`);
    if (this.value.includes('*')) {
      fail(scope, `${prop} must not contain '*' (Istio treats it literally, so the match never applies); use HttpMatch.prefix() for a prefix, got ${show(this.value)}`);
    }
    if (/[\s?#]/.test(this.value)) fail(scope, `${prop} must be a URI path without whitespace, query or fragment, got ${show(this.value)}`);
  }

  /**
   * The value in AuthorizationPolicy path syntax (`/exact`, `/prefix*`).
   * @internal
   */
  public _toAuthzPath(): string {
    return this.kind === MatchKind.PREFIX ? `${this.value}*` : this.value;
  }

  /**
   * The value as an Istio StringMatch.
   * @internal
   */
  public _toStringMatch(): { exact?: string; prefix?: string; regex?: string } {
    return { [this.kind]: this.value };
  }
}
