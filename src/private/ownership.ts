import { IConstruct } from 'constructs';
import { fail } from './errors';
import { appSingleton } from './registry';

/**
 * App-wide claims on names that must be unique (a mesh host, a ServiceAccount, a namespace):
 * the second claimant fails with both construct paths in the message.
 */
export function claim(scope: IConstruct, kind: string, key: string, what: string): void {
  const claims = appSingleton(scope, `claims.${kind}`, () => new Map<string, string>());
  const owner = claims.get(key);
  if (owner !== undefined && owner !== scope.node.path) {
    fail(scope, `${what} ${JSON.stringify(key)} is already claimed by ${owner}; each ${kind} may be declared once per app`);
  }
  claims.set(key, scope.node.path);
}

/** The construct path that claimed `key`, if any. */
export function claimant(scope: IConstruct, kind: string, key: string): string | undefined {
  return appSingleton(scope, `claims.${kind}`, () => new Map<string, string>()).get(key);
}
