// Host checks and app-wide host bookkeeping of EgressControlledService. Internal: not re-exported.
import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { fail, show } from '../../private/errors';
import { appSingleton } from '../../private/registry';
import { isDnsSubdomain, isFqdn } from '../../private/validate';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether `value` looks like an IPv4 or IPv6 address (or CIDR block), which is never a host name. */
export function looksLikeIp(value: string): boolean {
  const v = value.split('/')[0];
  return IPV4.test(v) || (v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v));
}

/**
 * Checks one external host: a lower-case fully qualified DNS name outside the cluster domain, or (with
 * `allowWildcard`) `*.` followed by one. Returns the host.
 */
export function checkExternalHost(
  scope: IConstruct, prop: string, host: unknown, options: { allowWildcard: boolean; clusterDomain: string },
): string {
  if (typeof host !== 'string' || host.length === 0) {
    fail(scope, `${prop} must be a fully qualified domain name such as "api.stripe.com", got ${show(host)}`);
  }
  if (host === '*') fail(scope, `${prop} must not be "*" (a ServiceEntry cannot claim every host); list the external hosts the callers need`);
  if (looksLikeIp(host)) {
    fail(scope, `${prop} ${show(host)} is an IP address, but hosts must be DNS names; name the service (e.g. "db.example.com") and give its IP addresses in addresses`);
  }
  if (host !== host.toLowerCase()) fail(scope, `${prop} must be lower case (DNS names are case-insensitive and Istio matches them as written), got ${show(host)}; use ${show(host.toLowerCase())}`);
  if (host.endsWith('.')) fail(scope, `${prop} must not end with '.', got ${show(host)}; use ${show(host.slice(0, -1))}`);
  const wildcard = host.startsWith('*.');
  const name = wildcard ? host.slice(2) : host;
  if (wildcard && !options.allowWildcard) {
    fail(scope, `${prop} ${show(host)} is a wildcard, which opens egress to every subdomain; list the exact hosts, or set allowWildcardHosts: true`);
  }
  if (name.includes('*')) fail(scope, `${prop} may contain '*' only as a leading "*." label, got ${show(host)}`);
  if (!isFqdn(name)) {
    const reason = isDnsSubdomain(name) ? 'it has no domain part (a short name resolves against the caller\'s namespace, not the internet)' : 'it is not a valid DNS name';
    fail(scope, `${prop} must be a fully qualified domain name such as "api.stripe.com", got ${show(host)}: ${reason}`);
  }
  const cd = options.clusterDomain;
  if (name === cd || name.endsWith(`.${cd}`)) {
    fail(scope, `${prop} ${show(host)} is inside the cluster domain ${show(cd)}; EgressControlledService declares hosts outside the mesh (use MeshService or MeshService.fromServiceName for in-cluster services)`);
  }
  return host;
}

/** Whether two host patterns (names or `*.suffix`) match a common name. */
export function externalHostsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const covers = (wild: string, other: string) => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(a, b) || covers(b, a);
}

interface HostRecord {
  readonly host: string;
  readonly path: string;
}

/**
 * Records the hosts of an EgressControlledService app-wide; fails when one of them equals or overlaps a host
 * already declared by another EgressControlledService (Istio keeps one definition per host, and an overlapping
 * wildcard silently widens who can reach the narrower host).
 */
export function claimExternalHosts(scope: IConstruct, prop: string, hosts: string[]): void {
  const records = appSingleton(scope, 'egressControlledHosts', () => [] as HostRecord[]);
  hosts.forEach((host, i) => {
    const other = records.find(r => r.path !== scope.node.path && externalHostsOverlap(r.host, host));
    if (other) {
      const how = other.host === host ? 'is already declared' : `overlaps ${show(other.host)}, declared`;
      fail(scope, `${prop}[${i}] ${show(host)} ${how} by the EgressControlledService at ${other.path}; each external host may be declared by one EgressControlledService (merge them, or list disjoint hosts)`);
    }
  });
  for (const host of hosts) records.push({ host, path: scope.node.path });
}

/** A DNS-1123 label fragment for a host: `api.stripe.com` → `api-stripe-com`, `*.example.com` → `wildcard-example-com`. */
export function hostSlug(host: string): string {
  return host.replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Stable per-host suffixes for object names: the slug, plus a short hash where two hosts share a slug. */
export function hostSuffixes(hosts: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const count = new Map<string, number>();
  for (const h of hosts) count.set(hostSlug(h), (count.get(hostSlug(h)) ?? 0) + 1);
  for (const h of hosts) {
    const slug = hostSlug(h);
    out.set(h, count.get(slug)! > 1 ? `${slug}-${createHash('sha256').update(h).digest('hex').slice(0, 6)}` : slug);
  }
  return out;
}
