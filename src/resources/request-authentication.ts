import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/security.istio.io';
import { fail, show } from '../private/errors';
import { checkNonEmpty, uniqSorted } from '../private/validate';
import { addSizeValidation, checkArray, checkHeaderName, checkSelector, checkStrings, isIpv4, isIpv6, resolveMetadata } from './private/common';

/** A header a JWT is read from. */
export interface JwtHeader {
  /** Header name, e.g. `x-jwt-assertion`. */
  readonly name: string;

  /**
   * Prefix before the token, e.g. `Bearer `.
   *
   * @default - the whole header value is the token
   */
  readonly prefix?: string;
}

/** Copies a claim of a validated JWT into a request header. */
export interface JwtClaimToHeader {
  /** The claim, e.g. `sub`. */
  readonly claim: string;

  /** The header (letters, digits, '-' and '_'; not Host, Authorization, :authority or X-Forwarded-*). */
  readonly header: string;
}

/** How JWTs of one issuer are validated. */
export interface JwtRule {
  /** The issuer (`iss` claim). */
  readonly issuer: string;

  /**
   * URL of the issuer's JSON Web Key Set: https, not a loopback, link-local or cluster-internal address.
   *
   * @default - discovered from `<issuer>/.well-known/openid-configuration` (the issuer must then be an https URL)
   */
  readonly jwksUri?: string;

  /**
   * Accepted audiences (`aud` claim).
   *
   * @default - any audience
   */
  readonly audiences?: string[];

  /**
   * Forwards the original token to the application.
   *
   * @default false
   */
  readonly forwardOriginalToken?: boolean;

  /**
   * Headers the token is read from.
   *
   * @default - `Authorization: Bearer <token>`
   */
  readonly fromHeaders?: JwtHeader[];

  /**
   * Claims copied into request headers.
   *
   * @default - none
   */
  readonly outputClaimToHeaders?: JwtClaimToHeader[];
}

/** Props of a `RequestAuthentication`. */
export interface RequestAuthenticationProps {
  /**
   * Metadata of the RequestAuthentication object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Pod labels of the workloads the policy applies to (non-empty).
   *
   * @default - every workload of the namespace
   */
  readonly selector?: { [key: string]: string };

  /**
   * JWT rules, one per issuer (at least one).
   */
  readonly jwtRules: JwtRule[];
}

const FORBIDDEN_OUTPUT_HEADERS = ['host', 'authorization', ':authority'];

/**
 * The generated class renders `jwksUri` under its proto name `jwks_uri` (the CRD lists both spellings); this
 * subclass renders the documented JSON name `jwksUri`, which tools and policy engines look for.
 */
class RequestAuthenticationObject extends k8s.RequestAuthentication {
  public override toJson(): any {
    const json = super.toJson();
    for (const rule of json.spec?.jwtRules ?? []) {
      if (rule.jwks_uri !== undefined) {
        rule.jwksUri = rule.jwks_uri;
        delete rule.jwks_uri;
      }
    }
    return json;
  }
}

/**
 * An Istio RequestAuthentication: which JWTs are valid. On its own it does not require a token; pair it with an
 * AuthorizationPolicy (e.g. DENY with `notRequestPrincipals: ['*']`).
 */
export class RequestAuthentication extends Construct {
  /** The Kubernetes name of the RequestAuthentication. */
  public readonly name: string;

  private readonly selector?: { [key: string]: string };
  private readonly _rules: JwtRule[] = [];

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    if (props.selector !== undefined) this.selector = checkSelector(this, 'selector', props.selector);
    checkArray(this, 'jwtRules', props.jwtRules, { nonEmpty: true, max: 4096 }).forEach(r => this.addJwtRule(r));

    const resource = new RequestAuthenticationObject(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);
  }

  /** The issuers, in order (copy). */
  public get issuers(): string[] {
    return this._rules.map(r => r.issuer);
  }

  /** Adds a JWT rule (one per issuer). */
  public addJwtRule(rule: JwtRule): void {
    const prop = `jwtRules[${this._rules.length}]`;
    if (rule === null || typeof rule !== 'object') fail(this, `${prop} must be a JwtRule struct, got ${show(rule)}`);
    checkNonEmpty(this, `${prop}.issuer`, rule.issuer);
    const same = this._rules.findIndex(r => r.issuer === rule.issuer);
    if (same >= 0) fail(this, `${prop}.issuer ${show(rule.issuer)} is already used by jwtRules[${same}]; use one rule per issuer`);
    if (rule.jwksUri !== undefined) {
      this.checkJwksUri(`${prop}.jwksUri`, rule.jwksUri);
    } else if (!rule.issuer.startsWith('https://')) {
      fail(this, `${prop}.jwksUri is required: the issuer ${show(rule.issuer)} is not an https URL, so Istio cannot discover the key set from it`);
    } else {
      this.checkJwksUri(`${prop}.issuer`, rule.issuer);
    }
    if (rule.audiences !== undefined) checkStrings(this, `${prop}.audiences`, rule.audiences, { nonEmpty: true });
    if (rule.forwardOriginalToken !== undefined && typeof rule.forwardOriginalToken !== 'boolean') {
      fail(this, `${prop}.forwardOriginalToken must be a boolean, got ${show(rule.forwardOriginalToken)}`);
    }
    if (rule.fromHeaders !== undefined) {
      checkArray(this, `${prop}.fromHeaders`, rule.fromHeaders, { nonEmpty: true }).forEach((h, i) => {
        if (h === null || typeof h !== 'object') fail(this, `${prop}.fromHeaders[${i}] must be a JwtHeader struct, got ${show(h)}`);
        checkHeaderName(this, `${prop}.fromHeaders[${i}].name`, h.name);
        if (h.prefix !== undefined && (typeof h.prefix !== 'string' || h.prefix.length === 0 || /[\r\n]/.test(h.prefix))) {
          fail(this, `${prop}.fromHeaders[${i}].prefix must be a non-empty string without CR/LF, got ${show(h.prefix)}`);
        }
      });
      checkStrings(this, `${prop}.fromHeaders names`, rule.fromHeaders.map(h => h.name.toLowerCase()));
    }
    if (rule.outputClaimToHeaders !== undefined) {
      checkArray(this, `${prop}.outputClaimToHeaders`, rule.outputClaimToHeaders, { nonEmpty: true }).forEach((o, i) => {
        const p = `${prop}.outputClaimToHeaders[${i}]`;
        if (o === null || typeof o !== 'object') fail(this, `${p} must be a JwtClaimToHeader struct, got ${show(o)}`);
        checkNonEmpty(this, `${p}.claim`, o.claim);
        const h = typeof o.header === 'string' ? o.header.toLowerCase() : o.header;
        if (typeof h === 'string' && (FORBIDDEN_OUTPUT_HEADERS.includes(h) || h.startsWith('x-forwarded-'))) {
          fail(this, `${p}.header ${show(o.header)} must not be Host, Authorization, :authority or X-Forwarded-* (a claim would overwrite routing or identity headers)`);
        }
        if (typeof o.header !== 'string' || !/^[-_A-Za-z0-9]+$/.test(o.header)) {
          fail(this, `${p}.header must consist of letters, digits, '-' and '_', got ${show(o.header)}`);
        }
      });
      checkStrings(this, `${prop}.outputClaimToHeaders headers`, rule.outputClaimToHeaders.map(o => o.header.toLowerCase()));
    }
    this._rules.push({
      ...rule,
      audiences: rule.audiences && [...rule.audiences],
      fromHeaders: rule.fromHeaders?.map(h => ({ ...h })),
      outputClaimToHeaders: rule.outputClaimToHeaders?.map(o => ({ ...o })),
    });
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.RequestAuthenticationSpec {
    return {
      selector: this.selector && { matchLabels: { ...this.selector } },
      jwtRules: this._rules.map(r => ({
        issuer: r.issuer,
        jwksUri: r.jwksUri,
        audiences: r.audiences && uniqSorted(r.audiences),
        forwardOriginalToken: r.forwardOriginalToken,
        fromHeaders: r.fromHeaders?.map(h => ({ name: h.name, prefix: h.prefix })),
        outputClaimToHeaders: r.outputClaimToHeaders?.map(o => ({ claim: o.claim, header: o.header })),
      })),
    };
  }

  /** https only; not loopback, link-local, unspecified or cluster-internal (SSRF from istiod). */
  private checkJwksUri(prop: string, uri: string): void {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      fail(this, `${prop} must be an absolute https URL, got ${show(uri)}`);
    }
    if (url.protocol !== 'https:') fail(this, `${prop} must use https (the key set must not be fetched in plain text), got ${show(uri)}`);
    if (uri.length > 2048) fail(this, `${prop} must be at most 2048 characters, got ${uri.length}`);
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const reason = internalHostReason(host);
    if (reason !== undefined) {
      fail(this, `${prop} must not point to ${reason} (istiod would fetch it from inside the cluster: SSRF), got ${show(uri)}`);
    }
  }
}

function internalHostReason(host: string): string | undefined {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost';
  if (isIpv4(host)) {
    const [a, b] = host.split('.').map(Number);
    if (a === 127) return 'a loopback address';
    if (a === 169 && b === 254) return 'a link-local address';
    if (a === 0) return 'an unspecified address';
    return undefined;
  }
  if (isIpv6(host)) {
    if (host === '::1' || host === '::') return 'a loopback or unspecified address';
    if (/^fe[89ab]/.test(host)) return 'a link-local address';
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (mapped) {
      const [hi, lo] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
      return internalHostReason(`${Math.floor(hi / 256)}.${hi % 256}.${Math.floor(lo / 256)}.${lo % 256}`);
    }
    if (host.startsWith('::ffff:')) return internalHostReason(host.slice(7));
    return undefined;
  }
  if (!host.includes('.')) return 'a single-label (cluster-internal) host name';
  if (/(^|\.)svc(\.|$)/.test(host) || host.endsWith('.cluster.local') || host.endsWith('.internal')) return 'a cluster-internal host name';
  return undefined;
}
