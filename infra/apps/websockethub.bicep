// Manifest resource "websockethub": streams each run's events to browsers over WebSocket; reads a run's state from
// PostgreSQL (read-only) for the truncated frame when events were lost.
import { projectEnv } from 'telemetry.bicep'

param shared object
param image string

@secure()
param cacheConnectionString string

@secure()
param workflowsConnectionString string

@secure()
param eventTicketKey string

module app 'containerApp.bicep' = {
  name: 'websockethub-app'
  params: {
    name: 'websockethub'
    location: shared.location
    tags: shared.tags
    environmentId: shared.environmentId
    registryServer: shared.registryServer
    identityId: shared.identityId
    image: image
    targetPort: 8080
    external: true
    env: concat(projectEnv('websockethub', shared.otlpEndpoint), [
      { name: 'ConnectionStrings__cache', secretRef: 'connectionstrings-cache' }
      { name: 'ConnectionStrings__workflows', secretRef: 'connectionstrings-workflows' }
      { name: 'EventTickets__SigningKey', secretRef: 'event-ticket-key' }
    ])
    secrets: {
      list: [
        { name: 'connectionstrings-cache', value: cacheConnectionString }
        { name: 'connectionstrings-workflows', value: workflowsConnectionString }
        { name: 'event-ticket-key', value: eventTicketKey }
      ]
    }
  }
}

output url string = 'https://${app.outputs.fqdn}'
output internalUrl string = app.outputs.internalUrl
