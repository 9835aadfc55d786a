import { IConstruct } from 'constructs';
import { fail, show } from './errors';
import { uniqSorted } from './validate';
import { AllowOptions } from '../mesh/destination';
import { HttpMatch } from '../values/http-match';
import { MeshPort } from '../values/mesh-port';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE'];

/** The operation part of an ALLOW rule derived from AllowOptions. */
export interface AllowOperation {
  readonly ports?: number[];
  readonly methods?: string[];
  readonly paths?: string[];
}

/**
 * Checks AllowOptions against the destination's ports and returns the policy operation
 * (target ports, methods, paths), or undefined when the grant covers every request.
 */
export function allowOperation(scope: IConstruct, prop: string, options: AllowOptions, ports: MeshPort[]): AllowOperation | undefined {
  const selected: MeshPort[] = [];
  for (const [i, n] of (options.ports ?? []).entries()) {
    const port = ports.find(p => p.number === n);
    if (!port) fail(scope, `${prop}.ports[${i}] must be one of the destination's ports (${ports.map(p => p.number).join(', ')}), got ${show(n)}`);
    selected.push(port);
  }
  if (options.ports !== undefined && options.ports.length === 0) fail(scope, `${prop}.ports must not be empty (omit it to allow every port)`);

  const methods: string[] = [];
  for (const [i, m] of (options.methods ?? []).entries()) {
    if (typeof m !== 'string' || !HTTP_METHODS.includes(m)) fail(scope, `${prop}.methods[${i}] must be one of ${HTTP_METHODS.join(', ')}, got ${show(m)}`);
    methods.push(m);
  }
  if (options.methods !== undefined && options.methods.length === 0) fail(scope, `${prop}.methods must not be empty (omit it to allow every method)`);

  const paths: string[] = [];
  for (const [i, p] of (options.paths ?? []).entries()) paths.push(checkAuthzPath(scope, `${prop}.paths[${i}]`, p));
  for (const [i, m] of (options.pathMatches ?? []).entries()) {
    if (!(m instanceof HttpMatch)) fail(scope, `${prop}.pathMatches[${i}] must be HttpMatch.exact() or HttpMatch.prefix(), got ${show(m)}`);
    m._validatePath(scope, `${prop}.pathMatches[${i}]`, { allowRegex: false });
    paths.push(m._toAuthzPath());
  }
  if (options.paths !== undefined && options.paths.length === 0 && !options.pathMatches?.length) fail(scope, `${prop}.paths must not be empty (omit it to allow every path)`);

  if (methods.length > 0 || paths.length > 0) {
    const l7Ports = selected.length > 0 ? selected : ports;
    const nonHttp = l7Ports.filter(p => !p.isHttp);
    if (nonHttp.length === l7Ports.length || (selected.length > 0 && nonHttp.length > 0)) {
      fail(scope, `${prop}: methods and paths need HTTP ports, but ${nonHttp.map(p => `${p.number} (${p.protocol})`).join(', ')} ${nonHttp.length === 1 ? 'is' : 'are'} not HTTP; Istio drops such ALLOW rules and the port becomes unreachable`);
    }
  }
  if (selected.length === 0 && methods.length === 0 && paths.length === 0) return undefined;
  const op: { ports?: number[]; methods?: string[]; paths?: string[] } = {};
  if (selected.length > 0) op.ports = [...new Set(selected.map(p => p.targetPort))].sort((a, b) => a - b);
  if (methods.length > 0) op.methods = uniqSorted(methods);
  if (paths.length > 0) op.paths = uniqSorted(paths);
  return op;
}

/** An AuthorizationPolicy path: exact, `prefix*`, `*suffix` or `*`; never `*` in the middle. */
export function checkAuthzPath(scope: IConstruct, prop: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) fail(scope, `${prop} must be a non-empty path, got ${show(path)}`);
  if (path === '*') return path;
  const inner = path.replace(/^\*/, '').replace(/\*$/, '');
  if (inner.includes('*')) {
    fail(scope, `${prop} has '*' in the middle (Istio matches it literally, so the rule never applies); use a prefix '/api/*', a suffix '*.png' or an exact path, got ${show(path)}`);
  }
  if (!path.startsWith('/') && !path.startsWith('*')) fail(scope, `${prop} must start with '/' (or '*' for a suffix match), got ${show(path)}`);
  if (/[\s?#]/.test(path)) fail(scope, `${prop} must be a URI path without whitespace, query or fragment, got ${show(path)}`);
  if (/^[/*]/.test(path) && /[[\]{}^$|\\()+]/.test(path)) {
    fail(scope, `${prop} looks like a regular expression; AuthorizationPolicy paths are exact, prefix ('/api/*') or suffix ('*.png') matches, got ${show(path)}`);
  }
  return path;
}
