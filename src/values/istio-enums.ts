/**
 * How a client sidecar talks TLS to a destination (DestinationRule `trafficPolicy.tls.mode`).
 */
export enum TlsMode {
  /** Plain text. Breaks STRICT mTLS destinations. */
  DISABLE = 'DISABLE',
  /** TLS origination to a server that is not in the mesh (needs `sni` and `subjectAltNames`). */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate that you provide (`credentialName`). */
  MUTUAL = 'MUTUAL',
  /** Istio mutual TLS with the mesh's own workload certificates. The default for in-mesh hosts. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * What a workload accepts from its peers (PeerAuthentication `mtls.mode`).
 */
export enum MtlsMode {
  /** Inherit from the parent scope (namespace or mesh). */
  UNSET = 'UNSET',
  /** Plain text only: no mutual TLS. */
  DISABLE = 'DISABLE',
  /** Both mutual TLS and plain text (a migration step). */
  PERMISSIVE = 'PERMISSIVE',
  /** Mutual TLS only. */
  STRICT = 'STRICT',
}

/**
 * What an AuthorizationPolicy does with the requests its rules match.
 */
export enum AuthorizationAction {
  /** Allow matching requests (once any ALLOW policy applies, everything else is denied). */
  ALLOW = 'ALLOW',
  /** Deny matching requests (evaluated before ALLOW). */
  DENY = 'DENY',
  /** Audit matching requests (needs an audit provider plugin). */
  AUDIT = 'AUDIT',
  /** Delegate the decision to an external authorization provider (evaluated first). */
  CUSTOM = 'CUSTOM',
}

/**
 * What a sidecar does with traffic to hosts that are not in its service registry.
 */
export enum OutboundTrafficPolicy {
  /** Block traffic to unknown hosts (declare external hosts with a ServiceEntry). */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Pass traffic to unknown hosts through. Istio's mesh-wide default. */
  ALLOW_ANY = 'ALLOW_ANY',
}

/**
 * Whether the hosts of a ServiceEntry are part of the mesh.
 */
export enum ServiceEntryLocation {
  /** Outside the mesh: no mutual TLS, policies apply to the client side only. */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Inside the mesh (e.g. VMs or unmanaged workloads that run a proxy). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/**
 * How the proxy finds the endpoints of a ServiceEntry.
 */
export enum ServiceEntryResolution {
  /** No resolution: traffic goes to the address the caller asked for (needs `addresses`). */
  NONE = 'NONE',
  /** The `endpoints` are static IP addresses. */
  STATIC = 'STATIC',
  /** Resolve the hosts (or endpoint names) by DNS and connect to every address returned. */
  DNS = 'DNS',
  /** Resolve by DNS and connect to the first address returned only. */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
  /** Resolve the host of each request dynamically (wildcard hosts). */
  DYNAMIC_DNS = 'DYNAMIC_DNS',
}

/**
 * How a Gateway server handles TLS. (`AUTO_PASSTHROUGH` is deliberately absent: it exposes every service of the
 * mesh by SNI, ISTIO-SECURITY-2021-006, and belongs to east-west gateways only.)
 */
export enum GatewayTlsMode {
  /** Terminate TLS with the server certificate in `credentialName`. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require a client certificate verified against the CA in `credentialName`. */
  MUTUAL = 'MUTUAL',
  /** Route by SNI without terminating TLS. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Terminate Istio mutual TLS with the mesh's certificates (internal gateways). */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Terminate TLS; verify a client certificate when one is presented. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
}

/**
 * A TLS protocol version (Gateway server `tls.minProtocolVersion`).
 */
export enum TlsProtocolVersion {
  /** Envoy's default. */
  TLS_AUTO = 'TLS_AUTO',
  /** TLS 1.0 (insecure). */
  TLSV1_0 = 'TLSV1_0',
  /** TLS 1.1 (insecure). */
  TLSV1_1 = 'TLSV1_1',
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}
