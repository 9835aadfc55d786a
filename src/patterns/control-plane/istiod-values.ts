import {
  IstioCniSpecValues,
  IstioSpecValues,
  IstioSpecValuesGlobalProxyResourcesLimits,
  IstioSpecValuesGlobalProxyResourcesRequests,
  IstioSpecValuesMeshConfigOutboundTrafficPolicyMode,
  IstioSpecValuesMeshConfigPathNormalizationNormalization,
  toJson_IstioCniSpecValues,
  toJson_IstioSpecValues,
} from '../../../imports/sailoperator.io';

/**
 * Everything that decides an istiod revision's configuration, resolved from the RevisionedControlPlane props
 * and the Mesh. `istiodValues` turns it into the Sail `Istio.spec.values`; the Helm `istiod` chart values are those
 * same values plus the revision name and tags (`helmIstiodValues`), so the two renderings cannot drift apart.
 * Internal.
 */
export interface IstiodSettings {
  readonly rootNamespace: string;
  readonly trustDomain: string;
  readonly clusterDomain: string;
  /** Label key/value a namespace needs to be discovered, or undefined when istiod watches every namespace. */
  readonly discoveryLabel?: { readonly key: string; readonly value: string };
  readonly outboundTrafficPolicy: string;
  readonly holdApplicationUntilProxyStarts: boolean;
  readonly prometheusMerge: boolean;
  /** '' turns access logging off. */
  readonly accessLogFile: string;
  readonly proxyCpuRequest: string;
  readonly proxyMemoryRequest: string;
  readonly proxyCpuLimit: string;
  readonly proxyMemoryLimit: string;
  readonly istiodReplicas: number;
  readonly istiodMaxReplicas: number;
  readonly podDisruptionBudget: boolean;
  readonly imageVariant: string;
  readonly pathNormalization: string;
  readonly cni: boolean;
}

/** The label Kubernetes puts on every namespace with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function outboundMode(mode: string): IstioSpecValuesMeshConfigOutboundTrafficPolicyMode {
  const found = Object.values(IstioSpecValuesMeshConfigOutboundTrafficPolicyMode).find(m => m === mode);
  if (found === undefined) throw new Error(`internal: unknown outbound traffic policy ${mode}`);
  return found;
}

function normalization(value: string): IstioSpecValuesMeshConfigPathNormalizationNormalization {
  const found = Object.values(IstioSpecValuesMeshConfigPathNormalizationNormalization).find(m => m === value);
  if (found === undefined) throw new Error(`internal: unknown path normalization ${value}`);
  return found;
}

/**
 * The istiod values for one revision, typed as the Sail `Istio.spec.values` (which are the `istiod` Helm chart
 * values). Revision-independent: Sail derives the revision name from the `Istio` object, Helm gets it added by
 * `helmIstiodValues`.
 */
export function istiodValues(s: IstiodSettings): IstioSpecValues {
  return {
    global: {
      istioNamespace: s.rootNamespace,
      variant: s.imageVariant,
      defaultPodDisruptionBudget: { enabled: s.podDisruptionBudget },
      proxy: {
        clusterDomain: s.clusterDomain,
        resources: {
          requests: {
            cpu: IstioSpecValuesGlobalProxyResourcesRequests.fromString(s.proxyCpuRequest),
            memory: IstioSpecValuesGlobalProxyResourcesRequests.fromString(s.proxyMemoryRequest),
          },
          limits: {
            cpu: IstioSpecValuesGlobalProxyResourcesLimits.fromString(s.proxyCpuLimit),
            memory: IstioSpecValuesGlobalProxyResourcesLimits.fromString(s.proxyMemoryLimit),
          },
        },
      },
    },
    meshConfig: {
      rootNamespace: s.rootNamespace,
      trustDomain: s.trustDomain,
      // Selectors are ORed: member namespaces carry the discovery label; the root namespace is always discovered.
      discoverySelectors: s.discoveryLabel === undefined ? undefined : [
        { matchLabels: { [s.discoveryLabel.key]: s.discoveryLabel.value } },
        { matchLabels: { [NAMESPACE_NAME_LABEL]: s.rootNamespace } },
      ],
      outboundTrafficPolicy: { mode: outboundMode(s.outboundTrafficPolicy) },
      defaultConfig: { holdApplicationUntilProxyStarts: s.holdApplicationUntilProxyStarts },
      enablePrometheusMerge: s.prometheusMerge,
      accessLogFile: s.accessLogFile === '' ? undefined : s.accessLogFile,
      pathNormalization: { normalization: normalization(s.pathNormalization) },
    },
    pilot: {
      autoscaleEnabled: s.istiodMaxReplicas > s.istiodReplicas,
      autoscaleMin: s.istiodReplicas,
      autoscaleMax: s.istiodMaxReplicas,
      replicaCount: s.istiodReplicas,
      cni: s.cni ? { enabled: true } : undefined,
      // Spread the replicas of one istiod Deployment over nodes and zones (preferred, never blocks scheduling).
      topologySpreadConstraints: ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map(topologyKey => ({
        maxSkew: 1,
        topologyKey,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: 'istiod' } },
        matchLabelKeys: ['pod-template-hash'],
      })),
    },
  };
}

/** The values of the `cni` chart / Sail `IstioCNI.spec.values`. */
export function cniValues(s: IstiodSettings): IstioCniSpecValues {
  return { global: { variant: s.imageVariant } };
}

/** Plain JSON with keys sorted recursively (deterministic YAML). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sorted(v);
    }
    return out;
  }
  return value;
}

/**
 * The same configuration as Helm values for the `istiod` chart of one revision: the Sail values plus the
 * `revision` name and the `revisionTags` that point at it (which Sail expresses as IstioRevisionTag objects).
 */
export function helmIstiodValues(values: IstioSpecValues, revision: string, tags: string[]): Record<string, unknown> {
  const json = toJson_IstioSpecValues(values) ?? {};
  return sorted({ ...json, revision, revisionTags: tags.length > 0 ? [...tags].sort() : undefined }) as Record<string, unknown>;
}

/** Helm values for the `cni` chart: the Sail `IstioCNI.spec.values` as plain JSON. */
export function helmCniValues(values: IstioCniSpecValues): Record<string, unknown> {
  return sorted(toJson_IstioCniSpecValues(values) ?? {}) as Record<string, unknown>;
}
