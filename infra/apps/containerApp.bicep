// One container app of the application. Projects get the ServiceDefaults probes (/alive, /ready) on their HTTP port.
param name string
param location string
param tags object
param environmentId string
param image string

@description('Registry and identity to pull from; empty registryServer for a public image.')
param registryServer string = ''
param identityId string = ''

@description('HTTP (projects) or TCP (Redis, PostgreSQL) ingress port.')
param targetPort int
param transport 'http' | 'tcp' = 'http'
param external bool = false
param minReplicas int = 1
param maxReplicas int = 1
param cpu string = '0.25'
param memory string = '0.5Gi'
param probes bool = true

@description('Environment variables: { name, value } or { name, secretRef }.')
param env array = []

@secure()
@description('{ list: [ { name, value } ] }: the app\'s secrets, referenced from env with secretRef.')
param secrets object = {}

param command array = []
param args array = []

var pull = empty(registryServer) ? [] : [ { server: registryServer, identity: identityId } ]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': name })
  identity: empty(identityId) ? { type: 'None' } : { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    environmentId: environmentId
    configuration: {
      activeRevisionsMode: 'Single'
      // TCP ingress (Redis, PostgreSQL) exposes the same port inside the environment; HTTP apps reach each other by name.
      ingress: union({
        external: external
        targetPort: targetPort
        transport: transport
        allowInsecure: transport == 'http' && !external
      }, transport == 'tcp' ? { exposedPort: targetPort } : {})
      registries: pull
      secrets: secrets.?list ?? []
    }
    template: {
      containers: [
        {
          name: name
          image: image
          command: command
          args: args
          env: env
          resources: { cpu: json(cpu), memory: memory }
          probes: probes ? [
            { type: 'Liveness', httpGet: { path: '/alive', port: targetPort }, periodSeconds: 10 }
            { type: 'Readiness', httpGet: { path: '/ready', port: targetPort }, periodSeconds: 5 }
          ] : [
            { type: 'Readiness', tcpSocket: { port: targetPort }, periodSeconds: 5 }
          ]
        }
      ]
      scale: { minReplicas: minReplicas, maxReplicas: maxReplicas }
    }
  }
}

output fqdn string = app.properties.configuration.ingress.fqdn
output internalUrl string = 'http://${name}'
