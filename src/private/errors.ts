import { IConstruct } from 'constructs';

/**
 * The error every cdk8s-istio input check throws: the message names the construct path, the prop,
 * the bad value and what is allowed, e.g.
 * `[app/shop/Reviews] canary.weight must be an integer from 0 to 100, got 110`.
 *
 * Internal (jsii cannot export Error subclasses); tests and users match on `name === 'IstioConfigError'`.
 */
export class IstioConfigError extends Error {
  /** Construct path of the construct that received the bad input. */
  public readonly constructPath: string;

  constructor(constructPath: string, message: string) {
    super(`[${constructPath}] ${message}`);
    this.name = 'IstioConfigError';
    this.constructPath = constructPath;
    Object.setPrototypeOf(this, IstioConfigError.prototype);
  }
}

/** Throws an IstioConfigError for `prop` of `scope`. */
export function fail(scope: IConstruct, message: string): never {
  throw new IstioConfigError(scope.node.path || '<app>', message);
}

/** Renders a user value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
