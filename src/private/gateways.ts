import { IConstruct } from 'constructs';
import { appSingleton } from './registry';

/** A gateway workload (ingress or egress) that constructs of this app route through. */
export interface GatewayWorkloadRecord {
  /** `ingress` or `egress`. */
  readonly direction: 'ingress' | 'egress';
  /** Namespace the gateway pods run in. */
  readonly namespace: string;
  /** Pod labels of the gateway pods (the Gateway's selector). */
  readonly selector: { [key: string]: string };
  /** Service account of the gateway pods. */
  readonly serviceAccountName: string;
  /** Container ports the gateway listens on. */
  readonly ports: number[];
  /** Construct path of the construct that declared it. */
  readonly constructPath: string;
}

type Listener = (g: GatewayWorkloadRecord) => void;
interface Registry { gateways: GatewayWorkloadRecord[]; listeners: Listener[] }

function registry(scope: IConstruct): Registry {
  return appSingleton(scope, 'gatewayWorkloads', () => ({ gateways: [], listeners: [] }));
}

/** Records a gateway workload; listeners (e.g. a ZeroTrustNamespace of the gateway's namespace) are told. */
export function registerGatewayWorkload(scope: IConstruct, record: GatewayWorkloadRecord): void {
  const r = registry(scope);
  r.gateways.push(record);
  for (const l of r.listeners) l(record);
}

/** Calls `listener` for every gateway workload registered so far and later. */
export function onGatewayWorkload(scope: IConstruct, listener: Listener): void {
  const r = registry(scope);
  r.listeners.push(listener);
  for (const g of r.gateways) listener(g);
}
