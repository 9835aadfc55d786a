import { Duration } from 'cdk8s';

/**
 * Outlier detection (passive health checking) of a DestinationRule. Also required for locality failover.
 */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx responses (or connection errors) before a host is ejected.
   *
   * @default 5
   */
  readonly consecutive5xxErrors?: number;

  /**
   * Consecutive gateway errors (502, 503, 504) before a host is ejected.
   *
   * @default - not set (only consecutive5xxErrors applies)
   */
  readonly consecutiveGatewayErrors?: number;

  /**
   * Time between ejection sweeps.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Minimum ejection duration (multiplied by the number of ejections).
   *
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;

  /**
   * Maximum percentage of hosts that may be ejected, 0–100. Above 50 risks ejecting every host (503 UH).
   *
   * @default 50
   */
  readonly maxEjectionPercent?: number;

  /**
   * Outlier detection is disabled when fewer than this percentage of hosts are healthy, 0–100.
   *
   * @default - Istio's default (0)
   */
  readonly minHealthPercent?: number;
}

/**
 * Connection-pool limits (circuit breaking) of a DestinationRule.
 */
export interface ConnectionPoolOptions {
  /**
   * Maximum TCP connections to a destination host.
   *
   * @default 1024
   */
  readonly maxConnections?: number;

  /**
   * TCP connect timeout.
   *
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;

  /**
   * Maximum pending HTTP requests to a destination.
   *
   * @default 1024
   */
  readonly http1MaxPendingRequests?: number;

  /**
   * Maximum active HTTP/2 requests to a destination.
   *
   * @default 1024
   */
  readonly http2MaxRequests?: number;

  /**
   * Maximum requests per connection (1 disables keep-alive).
   *
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;

  /**
   * Maximum outstanding retries to all hosts of the destination at a time: the retry budget that stops
   * retry storms (Istio's own default is effectively unlimited).
   *
   * @default 3
   */
  readonly maxRetries?: number;

  /**
   * Idle timeout of upstream connections.
   *
   * @default - Istio's default (1 hour)
   */
  readonly idleTimeout?: Duration;
}
