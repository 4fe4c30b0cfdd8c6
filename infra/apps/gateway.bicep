// Manifest resource "gateway": the public HTTP API.
import { projectEnv } from 'telemetry.bicep'

param shared object
param image string

@secure()
param cacheConnectionString string

@secure()
param workflowsConnectionString string

@secure()
param eventTicketKey string

param workerUrl string
param websockethubUrl string

module app 'containerApp.bicep' = {
  name: 'gateway-app'
  params: {
    name: 'gateway'
    location: shared.location
    tags: shared.tags
    environmentId: shared.environmentId
    registryServer: shared.registryServer
    identityId: shared.identityId
    image: image
    targetPort: 8080
    external: true
    env: concat(projectEnv('gateway', shared.otlpEndpoint), [
      { name: 'ConnectionStrings__cache', secretRef: 'connectionstrings-cache' }
      { name: 'ConnectionStrings__workflows', secretRef: 'connectionstrings-workflows' }
      { name: 'EventTickets__SigningKey', secretRef: 'event-ticket-key' }
      { name: 'services__worker__http__0', value: workerUrl }
      { name: 'services__websockethub__http__0', value: websockethubUrl }
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
