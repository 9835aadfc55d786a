/** How workloads join the mesh. */
export enum DataplaneMode {
  /** Envoy sidecars injected into every pod (`istio.io/rev=<tag>` namespace label). */
  SIDECAR = 'sidecar',
  /** ztunnel + waypoints (`istio.io/dataplane-mode=ambient` namespace label). */
  AMBIENT = 'ambient',
}
