// Azure Container Apps for the whole application: what `azd up` provisions (see docs/deploy.md).
// Shape of what azd synthesises for an Aspire AppHost (`azd infra synth`), plus the apps themselves with their
// probes, secrets and replicas, so that everything the deployment needs is reviewed in one place.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used to name the resource group and the resources.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('Object id of the user or service principal running azd; may pull from the registry. Empty: none.')
param principalId string = ''

@secure()
@description('AppHost parameter event-ticket-key: signs the tickets clients show the WebSocketHub (44+ characters).')
param eventTicketKey string

@secure()
@description('AppHost parameter cache-password: the Redis password.')
param cachePassword string

@secure()
@description('AppHost parameter postgres-password: the PostgreSQL password of user postgres.')
param postgresPassword string

@description('Images of the three services (azd sets them at deploy; the placeholder lets the first provision succeed).')
param gatewayImage string = 'mcr.microsoft.com/k8se/quickstart:latest'
param workerImage string = 'mcr.microsoft.com/k8se/quickstart:latest'
param websockethubImage string = 'mcr.microsoft.com/k8se/quickstart:latest'

@description('false (default): Redis runs as a container app, as the AppHost models it. true: Azure Cache for Redis.')
param useAzureCacheForRedis bool = false

@description('false (default): PostgreSQL runs as a container app, as the AppHost models it. true: Azure Database for PostgreSQL flexible server.')
param useAzurePostgresFlexibleServer bool = false

@description('OTLP endpoint of another backend (e.g. an OpenTelemetry Collector that forwards to Azure Monitor). Empty: the environment\'s Aspire dashboard.')
param otlpEndpoint string = ''

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module environment 'core/environment.bicep' = {
  name: 'environment'
  scope: rg
  params: {
    location: location
    tags: tags
    principalId: principalId
  }
}

module backing 'apps/backing.bicep' = {
  name: 'backing'
  scope: rg
  params: {
    location: location
    tags: tags
    environmentId: environment.outputs.environmentId
    cachePassword: cachePassword
    postgresPassword: postgresPassword
    useAzureCacheForRedis: useAzureCacheForRedis
    useAzurePostgresFlexibleServer: useAzurePostgresFlexibleServer
  }
}

var shared = {
  location: location
  tags: tags
  environmentId: environment.outputs.environmentId
  identityId: environment.outputs.identityId
  identityClientId: environment.outputs.identityClientId
  registryServer: environment.outputs.registryServer
  otlpEndpoint: otlpEndpoint
}

module websockethub 'apps/websockethub.bicep' = {
  name: 'websockethub'
  scope: rg
  params: {
    shared: shared
    image: websockethubImage
    cacheConnectionString: backing.outputs.cacheConnectionString
    workflowsConnectionString: backing.outputs.workflowsConnectionString
    eventTicketKey: eventTicketKey
  }
}

module worker 'apps/worker.bicep' = {
  name: 'worker'
  scope: rg
  params: {
    shared: shared
    image: workerImage
    cacheConnectionString: backing.outputs.cacheConnectionString
    workflowsConnectionString: backing.outputs.workflowsConnectionString
  }
}

module gateway 'apps/gateway.bicep' = {
  name: 'gateway'
  scope: rg
  params: {
    shared: shared
    image: gatewayImage
    cacheConnectionString: backing.outputs.cacheConnectionString
    workflowsConnectionString: backing.outputs.workflowsConnectionString
    eventTicketKey: eventTicketKey
    workerUrl: worker.outputs.internalUrl
    websockethubUrl: websockethub.outputs.internalUrl
  }
}

// The outputs azd reads (names as in what it synthesises for Aspire).
output MANAGED_IDENTITY_CLIENT_ID string = environment.outputs.identityClientId
output MANAGED_IDENTITY_NAME string = environment.outputs.identityName
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = environment.outputs.logAnalyticsName
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = environment.outputs.registryServer
output AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID string = environment.outputs.identityId
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = environment.outputs.environmentName
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = environment.outputs.environmentId
output AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN string = environment.outputs.defaultDomain
output SERVICE_GATEWAY_URL string = gateway.outputs.url
output SERVICE_WEBSOCKETHUB_URL string = websockethub.outputs.url
