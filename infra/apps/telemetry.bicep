// The variables every project gets besides its own: Aspire's OTLP settings (as in the manifest) and, when set, the
// endpoint of another OTLP backend. Without one, the environment's Aspire dashboard component receives the telemetry.
@export()
func projectEnv(serviceName string, otlpEndpoint string) array => concat([
  { name: 'OTEL_SERVICE_NAME', value: serviceName }
  { name: 'OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY', value: 'in_memory' }
  { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
  { name: 'HTTP_PORTS', value: '8080' }
], empty(otlpEndpoint) ? [] : [
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint }
])
