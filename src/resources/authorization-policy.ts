import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/security.istio.io';
import { fail, show } from '../private/errors';
import { checkDnsLabel, checkDnsSubdomain, checkNonEmpty, checkPort, uniqSorted } from '../private/validate';
import { AuthorizationAction } from '../values/istio-enums';
import {
  addSizeValidation, canonical, checkArray, checkEnum, checkIpOrCidr, checkSelector, checkStrings, checkWildcardPosition, copyData,
  HTTP_METHODS, resolveMetadata, wire,
} from './private/common';

/** Who sends the request. All given fields must match. */
export interface AuthorizationSource {
  /**
   * Peer identities (mTLS), `<trust domain>/ns/<namespace>/sa/<service account>`, without `spiffe://`.
   *
   * @default - any peer identity
   */
  readonly principals?: string[];

  /**
   * Peer identities that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notPrincipals?: string[];

  /**
   * Namespaces of the peer (mTLS).
   *
   * @default - any namespace
   */
  readonly namespaces?: string[];

  /**
   * Namespaces that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notNamespaces?: string[];

  /**
   * JWT principals, `<iss>/<sub>`.
   *
   * @default - any (or no) JWT
   */
  readonly requestPrincipals?: string[];

  /**
   * JWT principals that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notRequestPrincipals?: string[];

  /**
   * Source IP addresses or CIDR blocks (of the connection).
   *
   * @default - any source address
   */
  readonly ipBlocks?: string[];

  /**
   * Source IP addresses or CIDR blocks that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notIpBlocks?: string[];
}

/** What the request does. All given fields must match. */
export interface AuthorizationOperation {
  /**
   * Hosts (Host/authority header), rendered lower-case in both `host` and `host:*` forms.
   *
   * @default - any host
   */
  readonly hosts?: string[];

  /**
   * Hosts that must not match (needs `allowNegativeMatch` in an ALLOW rule); rendered like `hosts`.
   *
   * @default - no exclusion
   */
  readonly notHosts?: string[];

  /**
   * Destination ports of the workload (container ports, not Service ports).
   *
   * @default - any port
   */
  readonly ports?: number[];

  /**
   * Ports that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notPorts?: number[];

  /**
   * HTTP methods: GET HEAD POST PUT DELETE PATCH OPTIONS CONNECT TRACE.
   *
   * @default - any method
   */
  readonly methods?: string[];

  /**
   * Methods that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notMethods?: string[];

  /**
   * Paths: exact (`/healthz`), prefix (`/api/*`), suffix (`*.png`), `*`, or templates with `{*}`/`{**}` segments.
   *
   * @default - any path
   */
  readonly paths?: string[];

  /**
   * Paths that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notPaths?: string[];
}

/** An extra condition on a request attribute. */
export interface AuthorizationCondition {
  /** The attribute, e.g. `request.headers[x-tenant]`, `source.ip`, `request.auth.claims[groups]`, `destination.port`. */
  readonly key: string;

  /**
   * Values, one of which must match.
   *
   * @default - any value (then notValues must be set)
   */
  readonly values?: string[];

  /**
   * Values that must not match (needs `allowNegativeMatch` in an ALLOW rule).
   *
   * @default - no exclusion
   */
  readonly notValues?: string[];
}

/** One rule of an AuthorizationPolicy: it matches when a source, an operation and every condition match. */
export interface AuthorizationRule {
  /**
   * Sources; one must match.
   *
   * @default - any source
   */
  readonly from?: AuthorizationSource[];

  /**
   * Operations; one must match.
   *
   * @default - any operation
   */
  readonly to?: AuthorizationOperation[];

  /**
   * Conditions; all must match.
   *
   * @default - no condition
   */
  readonly when?: AuthorizationCondition[];

  /**
   * Allows negative fields (`notPrincipals`, `notPaths`, `notValues` …) in an ALLOW rule. ALLOW with negative
   * matching is bypass-prone (a request that escapes the negation is allowed); prefer DENY with negative matching.
   *
   * @default false
   */
  readonly allowNegativeMatch?: boolean;
}

/** A workload (or gateway) a policy applies to, instead of a label selector. */
export interface PolicyTargetReference {
  /** Kind of the target: `Gateway`, `GatewayClass`, `Service` or `ServiceEntry`. */
  readonly kind: string;

  /** Name of the target, in the policy's namespace. */
  readonly name: string;
}

/** Props of an `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps {
  /**
   * Metadata of the AuthorizationPolicy object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * What matching requests get. Not allowed with `allowNothing`.
   *
   * @default AuthorizationAction.ALLOW
   */
  readonly action?: AuthorizationAction;

  /**
   * Pod labels of the workloads the policy applies to (non-empty).
   *
   * @default - every workload of the namespace (of the mesh, in the root namespace)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Gateways or services the policy applies to (instead of `selector`).
   *
   * @default - the selector (or the whole namespace)
   */
  readonly targetRefs?: PolicyTargetReference[];

  /**
   * Rules, in order; identical rules are rendered once.
   *
   * @default - none; add them with `addRule()`
   */
  readonly rules?: AuthorizationRule[];

  /**
   * The external authorization provider (from meshConfig `extensionProviders`); required for, and only allowed
   * with, `AuthorizationAction.CUSTOM`.
   *
   * @default - no provider
   */
  readonly provider?: string;

  /**
   * Renders the allow-nothing policy (`spec: {}`, plus the selector or targetRefs when given): every request to the
   * selected workloads is denied unless another ALLOW policy allows it. Not allowed with `rules` or `action`.
   *
   * @default false
   */
  readonly allowNothing?: boolean;

  /**
   * Evaluates the policy without enforcing it (annotation `istio.io/dry-run: "true"`).
   *
   * @default false
   */
  readonly dryRun?: boolean;
}

const NEGATIVE_SOURCE = ['notPrincipals', 'notNamespaces', 'notRequestPrincipals', 'notIpBlocks'] as const;
const NEGATIVE_OPERATION = ['notHosts', 'notPorts', 'notMethods', 'notPaths'] as const;
const TARGET_KINDS: { [kind: string]: string } = {
  Gateway: 'gateway.networking.k8s.io',
  GatewayClass: 'gateway.networking.k8s.io',
  Service: '',
  ServiceEntry: 'networking.istio.io',
};
const CONDITION_KEYS = [
  'source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences',
  'request.auth.presenter', 'destination.ip', 'destination.port', 'connection.sni',
];

/**
 * An Istio AuthorizationPolicy, with the secure patterns built in: no empty rules, positive matching in ALLOW
 * unless opted out, no `*` in the middle of values, hosts in both `host` and `host:*` forms, and an explicit
 * `allowNothing` for deny-by-default.
 */
export class AuthorizationPolicy extends Construct {
  /** The annotation that makes Istio evaluate a policy without enforcing it. */
  public static readonly DRY_RUN_ANNOTATION = 'istio.io/dry-run';

  /** The Kubernetes name of the AuthorizationPolicy. */
  public readonly name: string;
  /** The action. */
  public readonly action: AuthorizationAction;
  /** Whether this is an allow-nothing policy. */
  public readonly allowNothing: boolean;

  private readonly _rules: AuthorizationRule[] = [];
  private readonly _ruleKeys: string[] = [];
  private readonly selector?: { [key: string]: string };
  private readonly targetRefs?: PolicyTargetReference[];
  private readonly provider?: string;

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    this.allowNothing = props.allowNothing ?? false;
    if (typeof this.allowNothing !== 'boolean') fail(this, `allowNothing must be a boolean, got ${show(props.allowNothing)}`);
    if (this.allowNothing && props.action !== undefined) fail(this, 'action cannot be combined with allowNothing (an allow-nothing policy has no action and no rules)');
    if (this.allowNothing && props.rules !== undefined) fail(this, 'rules cannot be combined with allowNothing (an allow-nothing policy has no rules)');
    this.action = checkEnum(this, 'action', props.action ?? AuthorizationAction.ALLOW, AuthorizationAction);

    if (props.provider !== undefined) {
      checkNonEmpty(this, 'provider', props.provider);
      if (this.action !== AuthorizationAction.CUSTOM || this.allowNothing) {
        fail(this, `provider is only allowed with action CUSTOM, got action ${this.allowNothing ? '(allowNothing)' : this.action}`);
      }
    } else if (this.action === AuthorizationAction.CUSTOM) {
      fail(this, 'provider is required with action CUSTOM (the name of an extension provider in meshConfig)');
    }
    this.provider = props.provider;

    if (props.selector !== undefined) this.selector = checkSelector(this, 'selector', props.selector);
    if (props.targetRefs !== undefined) {
      if (props.selector !== undefined) fail(this, 'selector and targetRefs cannot both be set');
      checkArray(this, 'targetRefs', props.targetRefs, { nonEmpty: true, max: 16 }).forEach((t, i) => {
        if (t === null || typeof t !== 'object') fail(this, `targetRefs[${i}] must be a PolicyTargetReference struct, got ${show(t)}`);
        if (!(t.kind in TARGET_KINDS)) fail(this, `targetRefs[${i}].kind must be one of ${Object.keys(TARGET_KINDS).join(', ')}, got ${show(t.kind)}`);
        if (t.kind === 'GatewayClass' || t.kind === 'Gateway') checkDnsSubdomain(this, `targetRefs[${i}].name`, t.name);
        else checkDnsLabel(this, `targetRefs[${i}].name`, t.name);
      });
      checkStrings(this, 'targetRefs', props.targetRefs.map(t => `${t.kind}/${t.name}`));
      this.targetRefs = props.targetRefs.map(t => ({ ...t }));
    }

    if (props.dryRun !== undefined && typeof props.dryRun !== 'boolean') fail(this, `dryRun must be a boolean, got ${show(props.dryRun)}`);
    const annotations = props.dryRun ? { ...metadata.annotations, [AuthorizationPolicy.DRY_RUN_ANNOTATION]: 'true' } : metadata.annotations;

    for (const r of checkArray(this, 'rules', props.rules ?? [])) this.addRule(r);

    const resource = new k8s.AuthorizationPolicy(this, 'Resource', {
      metadata: { ...metadata, annotations },
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);

    this.node.addValidation({
      validate: () => (!this.allowNothing && this._rules.length === 0
        ? [`AuthorizationPolicy with action ${this.action} has no rules: ${this.action === AuthorizationAction.ALLOW
          ? 'an ALLOW policy without rules denies every request; set allowNothing: true if that is what you mean, or add rules with addRule()'
          : 'add at least one rule with addRule()'}`]
        : []),
    });
  }

  /** The rules, in order (deep copies). */
  public get rules(): AuthorizationRule[] {
    return this._rules.map(r => copyData(r));
  }

  /** Appends a rule. A rule identical to an existing one is not added again. */
  public addRule(rule: AuthorizationRule): void {
    const prop = `rules[${this._rules.length}]`;
    if (this.allowNothing) fail(this, `${prop}: an allow-nothing policy cannot have rules`);
    if (this._rules.length >= 512) fail(this, `${prop}: an AuthorizationPolicy may have at most 512 rules`);
    this.checkRule(prop, rule);
    const key = canonical(renderRule(rule));
    if (this._ruleKeys.includes(key)) return;
    this._ruleKeys.push(key);
    this._rules.push(copyData(rule));
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.AuthorizationPolicySpec {
    const target = {
      selector: this.selector && { matchLabels: { ...this.selector } },
      targetRefs: this.targetRefs?.map(t => ({ group: TARGET_KINDS[t.kind], kind: t.kind, name: t.name })),
    };
    if (this.allowNothing) return target;
    return {
      ...target,
      action: wire<k8s.AuthorizationPolicySpecAction>(this.action),
      provider: this.provider !== undefined ? { name: this.provider } : undefined,
      rules: this._rules.map(renderRule),
    };
  }

  private checkRule(prop: string, rule: AuthorizationRule): void {
    if (rule === null || typeof rule !== 'object') fail(this, `${prop} must be an AuthorizationRule struct, got ${show(rule)}`);
    if (rule.from === undefined && rule.to === undefined && rule.when === undefined) {
      fail(this, `${prop} is empty: a rule without from, to or when matches every request (in an ALLOW policy it allows everything); use allowNothing for deny-all`);
    }
    const negativeOk = rule.allowNegativeMatch === true || this.action !== AuthorizationAction.ALLOW;
    const negative = (field: string) => {
      if (!negativeOk) {
        fail(this, `${field} is negative matching in an ALLOW policy, which is bypass-prone (whatever escapes the negation is allowed); use positive matches, a DENY policy, or set allowNegativeMatch: true on the rule`);
      }
    };
    if (rule.from !== undefined) {
      checkArray(this, `${prop}.from`, rule.from, { nonEmpty: true, max: 512 }).forEach((s, i) => {
        const p = `${prop}.from[${i}]`;
        if (s === null || typeof s !== 'object' || Object.values(s).every(v => v === undefined)) {
          fail(this, `${p} is an empty source (Istio rejects it; an empty rule would match everyone); use allowNothing for deny-all`);
        }
        for (const f of ['principals', 'notPrincipals'] as const) {
          this.list(p, f, s[f], (q, v) => {
            if (v.startsWith('spiffe://')) fail(this, `${q} must not start with "spiffe://" (Istio adds it itself, so the doubled prefix never matches), got ${show(v)}`);
            checkWildcardPosition(this, q, v);
          });
        }
        for (const f of ['namespaces', 'notNamespaces', 'requestPrincipals', 'notRequestPrincipals'] as const) {
          this.list(p, f, s[f], (q, v) => checkWildcardPosition(this, q, v));
        }
        for (const f of ['ipBlocks', 'notIpBlocks'] as const) this.list(p, f, s[f], (q, v) => checkIpOrCidr(this, q, v));
        for (const f of NEGATIVE_SOURCE) if (s[f] !== undefined) negative(`${p}.${f}`);
      });
    }
    if (rule.to !== undefined) {
      checkArray(this, `${prop}.to`, rule.to, { nonEmpty: true }).forEach((o, i) => {
        const p = `${prop}.to[${i}]`;
        if (o === null || typeof o !== 'object' || Object.values(o).every(v => v === undefined)) {
          fail(this, `${p} is an empty operation (Istio rejects it; an empty rule would match everything); use allowNothing for deny-all`);
        }
        for (const f of ['hosts', 'notHosts'] as const) this.list(p, f, o[f], (q, v) => checkWildcardPosition(this, q, v));
        for (const f of ['ports', 'notPorts'] as const) {
          if (o[f] === undefined) continue;
          checkArray(this, `${p}.${f}`, o[f], { nonEmpty: true }).forEach((n, j) => checkPort(this, `${p}.${f}[${j}]`, n));
          if (new Set(o[f]).size !== o[f].length) fail(this, `${p}.${f} lists a port twice: ${show(o[f])}`);
        }
        for (const f of ['methods', 'notMethods'] as const) {
          this.list(p, f, o[f], (q, v) => {
            if (!HTTP_METHODS.includes(v)) fail(this, `${q} must be one of ${HTTP_METHODS.join(' ')}, got ${show(v)}`);
          });
        }
        for (const f of ['paths', 'notPaths'] as const) this.list(p, f, o[f], (q, v) => checkAuthzPath(this, q, v));
        for (const f of NEGATIVE_OPERATION) if (o[f] !== undefined) negative(`${p}.${f}`);
      });
    }
    if (rule.when !== undefined) {
      checkArray(this, `${prop}.when`, rule.when, { nonEmpty: true }).forEach((c, i) => {
        const p = `${prop}.when[${i}]`;
        if (c === null || typeof c !== 'object') fail(this, `${p} must be an AuthorizationCondition struct, got ${show(c)}`);
        checkConditionKey(this, `${p}.key`, c.key);
        if (c.values === undefined && c.notValues === undefined) fail(this, `${p} must set values or notValues`);
        const valueCheck = (q: string, v: string) => {
          if (['source.ip', 'remote.ip', 'destination.ip'].includes(c.key)) checkIpOrCidr(this, q, v);
          else if (c.key === 'destination.port') checkPort(this, q, Number(v));
          else checkWildcardPosition(this, q, v);
        };
        this.list(p, 'values', c.values, valueCheck);
        this.list(p, 'notValues', c.notValues, valueCheck);
        if (c.notValues !== undefined) negative(`${p}.notValues`);
      });
    }
    if (rule.allowNegativeMatch !== undefined && typeof rule.allowNegativeMatch !== 'boolean') {
      fail(this, `${prop}.allowNegativeMatch must be a boolean, got ${show(rule.allowNegativeMatch)}`);
    }
  }

  private list(prop: string, field: string, values: string[] | undefined, check: (prop: string, value: string) => void): void {
    if (values === undefined) return;
    checkStrings(this, `${prop}.${field}`, values, { nonEmpty: true }).forEach((v, i) => check(`${prop}.${field}[${i}]`, v));
  }
}

/** Exact, prefix (`/a/*`), suffix (`*.png`), `*`, or a template of `{*}` / `{**}` segments (`{**}` last). */
function checkAuthzPath(scope: IConstruct, prop: string, path: string): void {
  if (typeof path !== 'string' || path.length === 0) fail(scope, `${prop} must be a non-empty path, got ${show(path)}`);
  if (path.includes('{')) {
    if (!path.startsWith('/')) fail(scope, `${prop} must start with '/', got ${show(path)}`);
    const segments = path.slice(1).split('/');
    segments.forEach((seg, i) => {
      if (seg.includes('{') || seg.includes('}') || seg.includes('*')) {
        if (seg !== '{*}' && seg !== '{**}') fail(scope, `${prop}: a path template segment must be exactly {*} or {**}, got ${show(seg)} in ${show(path)}`);
        if (seg === '{**}' && i !== segments.length - 1) fail(scope, `${prop}: {**} may only be the last segment of a path template, got ${show(path)}`);
      }
    });
    return;
  }
  checkWildcardPosition(scope, prop, path);
  if (path !== '*' && !path.startsWith('/') && !path.startsWith('*')) fail(scope, `${prop} must start with '/' (or '*' for a suffix match), got ${show(path)}`);
  if (/[\s?#]/.test(path)) fail(scope, `${prop} must be a path without whitespace, query or fragment, got ${show(path)}`);
}

function checkConditionKey(scope: IConstruct, prop: string, key: string): void {
  if (typeof key === 'string' && (CONDITION_KEYS.includes(key)
    || /^request\.headers\[[^\]\s]+\]$/.test(key)
    || /^request\.auth\.claims(\[[^\]\s]+\])+$/.test(key)
    || /^experimental\.envoy\.filters\.[a-z0-9_.]+\[[^\]\s]+\](\[[^\]\s]+\])*$/.test(key))) return;
  fail(scope, `${prop} must be a supported attribute (${CONDITION_KEYS.join(', ')}, request.headers[<name>], request.auth.claims[<claim>]), got ${show(key)}`);
}

/** `host` and `host:*`, lower-cased, for every host without a port. */
function expandHosts(hosts: string[] | undefined): string[] | undefined {
  if (hosts === undefined) return undefined;
  const out: string[] = [];
  for (const h of hosts.map(x => x.toLowerCase())) {
    out.push(h);
    if (h !== '*' && !/:(\d+|\*)$/.test(h)) out.push(`${h}:*`);
  }
  return uniqSorted(out);
}

function sortedPorts(ports: number[] | undefined): string[] | undefined {
  return ports && [...new Set(ports)].sort((a, b) => a - b).map(String);
}

function sorted(values: string[] | undefined): string[] | undefined {
  return values && uniqSorted(values);
}

function renderRule(r: AuthorizationRule): k8s.AuthorizationPolicySpecRules {
  return {
    from: r.from?.map(s => ({
      source: {
        principals: sorted(s.principals),
        notPrincipals: sorted(s.notPrincipals),
        namespaces: sorted(s.namespaces),
        notNamespaces: sorted(s.notNamespaces),
        requestPrincipals: sorted(s.requestPrincipals),
        notRequestPrincipals: sorted(s.notRequestPrincipals),
        ipBlocks: sorted(s.ipBlocks),
        notIpBlocks: sorted(s.notIpBlocks),
      },
    })),
    to: r.to?.map(o => ({
      operation: {
        hosts: expandHosts(o.hosts),
        notHosts: expandHosts(o.notHosts),
        ports: sortedPorts(o.ports),
        notPorts: sortedPorts(o.notPorts),
        methods: sorted(o.methods),
        notMethods: sorted(o.notMethods),
        paths: sorted(o.paths),
        notPaths: sorted(o.notPaths),
      },
    })),
    when: r.when?.map(c => ({ key: c.key, values: sorted(c.values), notValues: sorted(c.notValues) })),
  };
}
