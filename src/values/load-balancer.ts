import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDuration, checkNonEmpty, renderDuration } from '../private/validate';

/**
 * The load-balancing policy of a DestinationRule.
 *
 * `LoadBalancer.leastRequest()`, `LoadBalancer.consistentHashByHeader('x-user')`.
 */
export class LoadBalancer {
  /** Round robin. */
  public static roundRobin(): LoadBalancer {
    return new LoadBalancer({ simple: 'ROUND_ROBIN' });
  }

  /** Least request (Envoy's power of two choices). Istio's default. */
  public static leastRequest(): LoadBalancer {
    return new LoadBalancer({ simple: 'LEAST_REQUEST' });
  }

  /** Random. */
  public static random(): LoadBalancer {
    return new LoadBalancer({ simple: 'RANDOM' });
  }

  /** Send the connection to the address the caller asked for, without balancing. */
  public static passthrough(): LoadBalancer {
    return new LoadBalancer({ simple: 'PASSTHROUGH' });
  }

  /** Session affinity by an HTTP header (e.g. a user id). */
  public static consistentHashByHeader(header: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpHeaderName: header } }, s => checkNonEmpty(s, 'loadBalancer header', header));
  }

  /** Session affinity by a cookie; Envoy sets it when absent if `ttl` is given. */
  public static consistentHashByCookie(name: string, ttl?: Duration, path?: string): LoadBalancer {
    return new LoadBalancer(
      { consistentHash: { httpCookie: { name, ttl: ttl ? renderDuration(ttl) : undefined, path } } },
      s => {
        checkNonEmpty(s, 'loadBalancer cookie name', name);
        checkDuration(s, 'loadBalancer cookie ttl', ttl, 0);
      },
    );
  }

  /** Session affinity by the caller's IP address. */
  public static consistentHashBySourceIp(): LoadBalancer {
    return new LoadBalancer({ consistentHash: { useSourceIp: true } });
  }

  /** Session affinity by a query parameter. */
  public static consistentHashByQueryParameter(name: string): LoadBalancer {
    return new LoadBalancer({ consistentHash: { httpQueryParameterName: name } }, s => checkNonEmpty(s, 'loadBalancer query parameter', name));
  }

  private readonly spec: { [key: string]: any };
  private readonly check?: (scope: IConstruct) => void;

  private constructor(spec: { [key: string]: any }, check?: (scope: IConstruct) => void) {
    this.spec = spec;
    this.check = check;
  }

  /** Whether this is a consistent-hash (session affinity) policy. */
  public get isConsistentHash(): boolean {
    return this.spec.consistentHash !== undefined;
  }

  /** @internal */
  public _validate(scope: IConstruct): void {
    this.check?.(scope);
  }

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.spec));
  }
}
