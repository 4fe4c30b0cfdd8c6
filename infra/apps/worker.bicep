// Manifest resource "worker": runs the workflows; two replicas, as the AppHost's WithReplicas(2).
import { projectEnv } from 'telemetry.bicep'

param shared object
param image string

@secure()
param cacheConnectionString string

@secure()
param workflowsConnectionString string

module app 'containerApp.bicep' = {
  name: 'worker-app'
  params: {
    name: 'worker'
    location: shared.location
    tags: shared.tags
    environmentId: shared.environmentId
    registryServer: shared.registryServer
    identityId: shared.identityId
    image: image
    targetPort: 8080
    minReplicas: 2
    maxReplicas: 2
    cpu: '0.5'
    memory: '1Gi'
    env: concat(projectEnv('worker', shared.otlpEndpoint), [
      { name: 'ConnectionStrings__cache', secretRef: 'connectionstrings-cache' }
      { name: 'ConnectionStrings__workflows', secretRef: 'connectionstrings-workflows' }
    ])
    secrets: {
      list: [
        { name: 'connectionstrings-cache', value: cacheConnectionString }
        { name: 'connectionstrings-workflows', value: workflowsConnectionString }
      ]
    }
  }
}

output internalUrl string = app.outputs.internalUrl
