import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../private/errors';
import { checkDuration, checkInteger } from '../private/validate';

/** The `retryOn` conditions Envoy and Istio accept (HTTP and gRPC), plus numeric status codes. */
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** Conditions that only retry requests that never reached the application, or that gRPC marks as safe. */
const IDEMPOTENT_SAFE = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'];

/** Options for `RetryPolicy.of()`. */
export interface RetryPolicyOptions {
  /**
   * Number of retries (not counting the first attempt), 0 to 10.
   */
  readonly attempts: number;

  /**
   * Timeout of each attempt. Must be shorter than the route timeout.
   *
   * @default - the route timeout divided by (attempts + 1)
   */
  readonly perTryTimeout?: Duration;

  /**
   * Conditions that trigger a retry (Envoy `x-envoy-retry-on` values, or HTTP status codes such as '503').
   *
   * @default ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'] — safe for non-idempotent requests
   */
  readonly retryOn?: string[];

  /**
   * Whether retries may go to other localities.
   *
   * @default - Istio's default (false)
   */
  readonly retryRemoteLocalities?: boolean;
}

/**
 * Retries of an HTTP route. Every policy with attempts carries an explicit `perTryTimeout` and `retryOn`.
 *
 * `RetryPolicy.of({ attempts: 2 })`, `RetryPolicy.none()`.
 */
export class RetryPolicy {
  /** The library default: 2 retries on conditions that are safe for any request, per-try timeout derived from the route timeout. */
  public static recommended(): RetryPolicy {
    return new RetryPolicy({ attempts: 2 });
  }

  /** No retries (renders `attempts: 0`). */
  public static none(): RetryPolicy {
    return new RetryPolicy({ attempts: 0 });
  }

  /** A custom retry policy. */
  public static of(options: RetryPolicyOptions): RetryPolicy {
    return new RetryPolicy(options);
  }

  /** Number of retries. */
  public readonly attempts: number;
  /** The per-try timeout, when given explicitly. */
  public readonly perTryTimeout?: Duration;
  /** The retry conditions. */
  public readonly retryOn: string[];
  /** Retries to other localities. */
  public readonly retryRemoteLocalities?: boolean;
  private readonly explicitRetryOn: boolean;

  private constructor(options: RetryPolicyOptions) {
    this.attempts = options.attempts;
    this.perTryTimeout = options.perTryTimeout;
    this.explicitRetryOn = options.retryOn !== undefined;
    this.retryOn = [...(options.retryOn ?? IDEMPOTENT_SAFE)];
    this.retryRemoteLocalities = options.retryRemoteLocalities;
  }

  /** Whether the conditions include ones that can repeat a request the application already processed. */
  public get retriesProcessedRequests(): boolean {
    return this.retryOn.some(c => ['5xx', 'gateway-error', 'reset', 'retriable-4xx', 'internal', 'deadline-exceeded', 'resource-exhausted'].includes(c) || /^\d{3}$/.test(c));
  }

  /**
   * Checks the policy against the route timeout it belongs to.
   * @internal
   */
  public _validate(scope: IConstruct, prop: string, routeTimeoutMs: number | undefined): void {
    checkInteger(scope, `${prop}.attempts`, this.attempts, 0, 10);
    if (this.attempts === 0) {
      if (this.perTryTimeout !== undefined || this.explicitRetryOn || this.retryRemoteLocalities !== undefined) {
        fail(scope, `${prop} sets perTryTimeout, retryOn or retryRemoteLocalities with attempts 0 (retries disabled); remove them or set attempts ≥ 1`);
      }
      return;
    }
    const perTry = checkDuration(scope, `${prop}.perTryTimeout`, this.perTryTimeout);
    if (perTry !== undefined && routeTimeoutMs !== undefined && perTry >= routeTimeoutMs) {
      fail(scope, `${prop}.perTryTimeout must be shorter than the route timeout (${routeTimeoutMs}ms) or no retry can ever happen, got ${perTry}ms`);
    }
    if (routeTimeoutMs !== undefined && perTry === undefined && Math.floor(routeTimeoutMs / (this.attempts + 1)) < 1) {
      fail(scope, `${prop}: the route timeout (${routeTimeoutMs}ms) is too short to split into ${this.attempts + 1} attempts of at least 1ms`);
    }
    if (this.retryOn.length === 0) fail(scope, `${prop}.retryOn must list at least one condition, got []`);
    for (const c of this.retryOn) {
      if (!RETRY_ON.has(c) && !/^[1-5]\d{2}$/.test(c)) {
        fail(scope, `${prop}.retryOn has an unknown condition ${show(c)}; allowed: ${[...RETRY_ON].join(', ')} or an HTTP status code`);
      }
    }
    if (new Set(this.retryOn).size !== this.retryOn.length) fail(scope, `${prop}.retryOn lists a condition twice: ${show(this.retryOn)}`);
  }

  /**
   * The per-try timeout in ms for a route timeout.
   * @internal
   */
  public _perTryMs(routeTimeoutMs: number | undefined): number | undefined {
    if (this.perTryTimeout) return this.perTryTimeout.toMilliseconds({ integral: false });
    if (routeTimeoutMs === undefined) return undefined;
    return Math.floor(routeTimeoutMs / (this.attempts + 1));
  }
}
