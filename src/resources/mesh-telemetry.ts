import { parse } from '@bufbuild/cel';
import { ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/telemetry.istio.io';
import { fail, show } from '../private/errors';
import { addSizeValidation, checkArray, checkPercentage, checkSelector, checkStrings, resolveMetadata } from './private/common';

/** Access-log settings for some providers. */
export interface AccessLoggingOptions {
  /** Names of the providers (meshConfig `extensionProviders`, e.g. `envoy`), at least one. */
  readonly providers: string[];

  /**
   * Turns the providers' access logs off.
   *
   * @default false
   */
  readonly disabled?: boolean;

  /**
   * CEL expression selecting the requests to log, e.g. `response.code >= 400`.
   *
   * @default - every request is logged
   */
  readonly filter?: string;
}

/** Tracing settings for some providers. */
export interface TracingOptions {
  /** Names of the tracing providers, at least one. */
  readonly providers: string[];

  /**
   * Percentage of requests sampled, 0–100 with at most 4 decimal places.
   *
   * @default - the provider's (mesh config) sampling
   */
  readonly randomSamplingPercentage?: number;
}

/** Metrics settings for some providers. */
export interface MetricsOptions {
  /** Names of the metrics providers (e.g. `prometheus`), at least one. */
  readonly providers: string[];
}

/** Props of a `MeshTelemetry`. */
export interface MeshTelemetryProps {
  /**
   * Metadata of the Telemetry object.
   *
   * @default - name from the construct path (`Names.toDnsLabel`), namespace of the chart
   */
  readonly metadata?: ApiObjectMetadata;

  /**
   * Pod labels of the workloads the settings apply to (non-empty).
   *
   * @default - every workload of the namespace (of the mesh, in the root namespace)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Access logging.
   *
   * @default - inherited
   */
  readonly accessLogging?: AccessLoggingOptions[];

  /**
   * Tracing.
   *
   * @default - inherited
   */
  readonly tracing?: TracingOptions[];

  /**
   * Metrics.
   *
   * @default - inherited
   */
  readonly metrics?: MetricsOptions[];
}

/**
 * An Istio Telemetry resource: access logging, tracing and metrics providers for a workload, namespace or the mesh.
 *
 * (Named `MeshTelemetry` because jsii forbids a root type `Telemetry` next to the `telemetry` L1 submodule.)
 */
export class MeshTelemetry extends Construct {
  /** The Kubernetes name of the Telemetry. */
  public readonly name: string;

  private readonly props: MeshTelemetryProps;

  constructor(scope: Construct, id: string, props: MeshTelemetryProps = {}) {
    super(scope, id);
    const metadata = resolveMetadata(this, props.metadata);
    this.name = metadata.name!;
    if (props.selector !== undefined) checkSelector(this, 'selector', props.selector);
    if (props.accessLogging === undefined && props.tracing === undefined && props.metrics === undefined) {
      fail(this, 'Telemetry must set accessLogging, tracing or metrics (an empty Telemetry changes nothing)');
    }
    if (props.accessLogging !== undefined) {
      checkArray(this, 'accessLogging', props.accessLogging, { nonEmpty: true }).forEach((a, i) => {
        const p = `accessLogging[${i}]`;
        if (a === null || typeof a !== 'object') fail(this, `${p} must be an AccessLoggingOptions struct, got ${show(a)}`);
        checkProviders(this, `${p}.providers`, a.providers);
        if (a.disabled !== undefined && typeof a.disabled !== 'boolean') fail(this, `${p}.disabled must be a boolean, got ${show(a.disabled)}`);
        if (a.filter !== undefined) {
          if (a.disabled) fail(this, `${p}.filter has no effect when disabled is true`);
          checkCel(this, `${p}.filter`, a.filter);
        }
      });
    }
    if (props.tracing !== undefined) {
      checkArray(this, 'tracing', props.tracing, { nonEmpty: true }).forEach((t, i) => {
        const p = `tracing[${i}]`;
        if (t === null || typeof t !== 'object') fail(this, `${p} must be a TracingOptions struct, got ${show(t)}`);
        checkProviders(this, `${p}.providers`, t.providers);
        if (t.randomSamplingPercentage !== undefined) checkPercentage(this, `${p}.randomSamplingPercentage`, t.randomSamplingPercentage, 4);
      });
    }
    if (props.metrics !== undefined) {
      checkArray(this, 'metrics', props.metrics, { nonEmpty: true }).forEach((m, i) => {
        if (m === null || typeof m !== 'object') fail(this, `metrics[${i}] must be a MetricsOptions struct, got ${show(m)}`);
        checkProviders(this, `metrics[${i}].providers`, m.providers);
      });
    }
    this.props = JSON.parse(JSON.stringify({ ...props, metadata: undefined }));

    const resource = new k8s.Telemetry(this, 'Resource', {
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    addSizeValidation(this, resource);
  }

  /**
   * Renders the spec of the L1 object (at synth).
   * @internal
   */
  public _renderSpec(): k8s.TelemetrySpec {
    const p = this.props;
    const providers = (names: string[]) => names.map(name => ({ name }));
    return {
      selector: p.selector && { matchLabels: { ...p.selector } },
      accessLogging: p.accessLogging?.map(a => ({
        providers: providers(a.providers),
        disabled: a.disabled,
        filter: a.filter !== undefined ? { expression: a.filter } : undefined,
      })),
      tracing: p.tracing?.map(t => ({ providers: providers(t.providers), randomSamplingPercentage: t.randomSamplingPercentage })),
      metrics: p.metrics?.map(m => ({ providers: providers(m.providers) })),
    };
  }
}

function checkProviders(scope: IConstruct, prop: string, providers: string[]): void {
  checkStrings(scope, prop, providers, { nonEmpty: true }).forEach((n, i) => {
    if (/\s/.test(n)) fail(scope, `${prop}[${i}] must be a provider name without whitespace, got ${show(n)}`);
  });
}

function checkCel(scope: IConstruct, prop: string, expression: string): void {
  if (typeof expression !== 'string' || expression.trim().length === 0) fail(scope, `${prop} must be a non-empty CEL expression, got ${show(expression)}`);
  try {
    parse(expression);
  } catch (e) {
    fail(scope, `${prop} is not a valid CEL expression: ${(e as Error).message} (got ${show(expression)})`);
  }
}
