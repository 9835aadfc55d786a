import { IConstruct } from 'constructs';
import { IstioCniSpecVersion, IstioSpecVersion } from '../../../imports/sailoperator.io';
import { fail, show } from '../../private/errors';
import { DNS_LABEL_RULE, isDnsLabel } from '../../private/validate';

/** A parsed Istio release number `major.minor.patch`. Internal. */
export interface ReleaseNumber {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The text as written, e.g. `1.30.3`. */
  readonly text: string;
}

const RELEASE = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})$/;

/** Parses `x.y.z` (no `v` prefix, no pre-release suffix) or returns undefined. */
export function parseRelease(value: unknown): ReleaseNumber | undefined {
  if (typeof value !== 'string') return undefined;
  const m = RELEASE.exec(value);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: value };
}

/** `prop` must be an Istio release `x.y.z`; a leading `v` gets a hint. */
export function checkRelease(scope: IConstruct, prop: string, value: unknown): ReleaseNumber {
  const parsed = parseRelease(value);
  if (parsed) return parsed;
  const hint = typeof value === 'string' && parseRelease(value.replace(/^v/, ''))
    ? ` (write ${show(value.replace(/^v/, ''))}: the Sail operator's 'v' prefix is added for you)`
    : '';
  return fail(scope, `${prop} must be an Istio release number 'major.minor.patch' such as "1.30.3", got ${show(value)}${hint}`);
}

/**
 * A revision (or tag) name must be a DNS-1123 label: it becomes an object name and the value of the
 * `istio.io/rev` label. Dots are the classic mistake (`1.30.3`), so the message suggests the dashed form.
 */
export function checkRevisionName(scope: IConstruct, prop: string, value: unknown): string {
  if (isDnsLabel(value)) return value;
  let hint = '';
  if (typeof value === 'string') {
    const dashed = value.toLowerCase().replace(/[._]/g, '-');
    if (dashed !== value && isDnsLabel(dashed)) hint = ` (try ${show(dashed)})`;
    if (value.includes('.')) hint = `: '.' is not a valid revision name character${hint}`;
  }
  return fail(scope, `${prop} must be ${DNS_LABEL_RULE}, got ${show(value)}${hint}`);
}

const SAIL_ISTIO_VERSIONS: ReadonlySet<string> = new Set(Object.values(IstioSpecVersion) as string[]);
const SAIL_CNI_VERSIONS: ReadonlySet<string> = new Set(Object.values(IstioCniSpecVersion) as string[]);

function exactReleases(all: ReadonlySet<string>): ReleaseNumber[] {
  return [...all]
    .map(v => parseRelease(v.replace(/^v/, '')))
    .filter((r): r is ReleaseNumber => r !== undefined)
    .sort(compareReleases);
}

/** The releases the pinned Sail operator CRD accepts for `Istio.spec.version`, oldest first. */
export const SAIL_ISTIO_RELEASES: readonly ReleaseNumber[] = exactReleases(SAIL_ISTIO_VERSIONS);

/** `Istio.spec.version` for a release, or undefined if the pinned Sail CRD does not list it. */
export function sailIstioVersion(release: ReleaseNumber): IstioSpecVersion | undefined {
  const v = `v${release.text}`;
  return SAIL_ISTIO_VERSIONS.has(v) ? v as IstioSpecVersion : undefined;
}

/** `IstioCNI.spec.version` for a release, or undefined if the pinned Sail CRD does not list it. */
export function sailCniVersion(release: ReleaseNumber): IstioCniSpecVersion | undefined {
  const v = `v${release.text}`;
  return SAIL_CNI_VERSIONS.has(v) ? v as IstioCniSpecVersion : undefined;
}

/** Human description of what the Sail CRD accepts, for error messages. */
export function sailReleaseRange(): string {
  const first = SAIL_ISTIO_RELEASES[0];
  const last = SAIL_ISTIO_RELEASES[SAIL_ISTIO_RELEASES.length - 1];
  const newestMinor = SAIL_ISTIO_RELEASES.filter(r => r.major === last.major && r.minor === last.minor).map(r => r.text);
  return `a release the pinned Sail operator CRD lists (${first.text} to ${last.text}; for ${last.major}.${last.minor}: ${newestMinor.join(', ')})`;
}

export function compareReleases(a: ReleaseNumber, b: ReleaseNumber): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Minor releases between two versions; Infinity across major versions. */
export function minorDistance(a: ReleaseNumber, b: ReleaseNumber): number {
  if (a.major !== b.major) return Number.POSITIVE_INFINITY;
  return Math.abs(a.minor - b.minor);
}
