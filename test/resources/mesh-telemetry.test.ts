import { Names } from 'cdk8s';
import { MeshTelemetry, MeshTelemetryProps, telemetry } from '../../src';
import { findObject, synthValid } from '../helpers';
import { failure, setup } from './support';

describe('MeshTelemetry', () => {
  test('renders a Telemetry with access logging', () => {
    // GIVEN
    const { app, chart } = setup();
    // WHEN
    const t = new MeshTelemetry(chart, 'Logs', { accessLogging: [{ providers: ['envoy'] }] });
    // THEN
    const obj = findObject(synthValid(app), 'Telemetry');
    expect(obj.apiVersion).toBe('telemetry.istio.io/v1');
    expect(obj.metadata).toEqual({ name: Names.toDnsLabel(t), namespace: 'shop' });
    expect(obj.spec).toEqual({ accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    expect(t.name).toBe(Names.toDnsLabel(t));
    expect(t.node.findChild('Resource')).toBeInstanceOf(telemetry.Telemetry);
  });

  test('every field: selector, filter, disabled, tracing with sampling, metrics', () => {
    const { app, chart } = setup();
    new MeshTelemetry(chart, 'T', {
      metadata: { name: 'mesh-default', namespace: 'istio-system' },
      selector: { app: 'reviews' },
      accessLogging: [{ providers: ['envoy'], filter: 'response.code >= 400' }, { providers: ['otel-als'], disabled: true }],
      tracing: [{ providers: ['otel'], randomSamplingPercentage: 0.5 }, { providers: ['zipkin'] }],
      metrics: [{ providers: ['prometheus'] }],
    });
    const obj = findObject(synthValid(app), 'Telemetry');
    expect(obj.metadata).toEqual({ name: 'mesh-default', namespace: 'istio-system' });
    expect(obj.spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } },
      accessLogging: [
        { providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } },
        { providers: [{ name: 'otel-als' }], disabled: true },
      ],
      tracing: [{ providers: [{ name: 'otel' }], randomSamplingPercentage: 0.5 }, { providers: [{ name: 'zipkin' }] }],
      metrics: [{ providers: [{ name: 'prometheus' }] }],
    });
  });

  describe('bad input', () => {
    test.each<[string, MeshTelemetryProps, string]>([
      ['nothing is set', {}, 'Telemetry must set accessLogging, tracing or metrics (an empty Telemetry changes nothing)'],
      ['access logging lists no provider', { accessLogging: [{ providers: [] }] }, 'accessLogging[0].providers must not be empty'],
      ['a provider name is empty', { metrics: [{ providers: [''] }] }, 'metrics[0].providers[0] must be a non-empty string'],
      ['a provider is listed twice', { tracing: [{ providers: ['otel', 'otel'] }] }, 'tracing[0].providers lists "otel" twice'],
      ['a provider name has whitespace', { tracing: [{ providers: ['my otel'] }] }, 'tracing[0].providers[0] must be a provider name without whitespace'],
      ['the filter is not CEL', { accessLogging: [{ providers: ['envoy'], filter: 'response.code >= ' }] }, 'accessLogging[0].filter is not a valid CEL expression'],
      ['the filter is empty', { accessLogging: [{ providers: ['envoy'], filter: ' ' }] }, 'accessLogging[0].filter must be a non-empty CEL expression'],
      ['a filter comes with disabled', { accessLogging: [{ providers: ['envoy'], disabled: true, filter: 'true' }] }, 'accessLogging[0].filter has no effect when disabled is true'],
      ['sampling is above 100', { tracing: [{ providers: ['otel'], randomSamplingPercentage: 101 }] }, 'tracing[0].randomSamplingPercentage must be a number from 0 to 100 with at most 4 decimal places, got 101'],
      ['sampling is negative', { tracing: [{ providers: ['otel'], randomSamplingPercentage: -1 }] }, 'tracing[0].randomSamplingPercentage must be a number from 0 to 100'],
      ['the selector is empty', { selector: {}, metrics: [{ providers: ['prometheus'] }] }, 'selector must contain at least one label, got {}'],
      ['a list is empty', { metrics: [] }, 'metrics must not be empty'],
    ])('fails when %s', (_description, props, message) => {
      const { chart } = setup();
      expect(() => new MeshTelemetry(chart, 'T', props)).toThrow(failure('test/T', message));
    });
  });
});
