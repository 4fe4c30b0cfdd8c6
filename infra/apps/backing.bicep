// Redis and PostgreSQL. By default as the AppHost models them (the manifest's container images as container apps,
// reached over TCP inside the environment, data lost with the replica); each switch moves one to the managed service.
param location string
param tags object
param environmentId string

@secure()
param cachePassword string

@secure()
param postgresPassword string

param useAzureCacheForRedis bool
param useAzurePostgresFlexibleServer bool

var token = uniqueString(resourceGroup().id)

// Manifest resource "cache": docker.io/library/redis, `redis-server --requirepass $REDIS_PASSWORD`, port 6379.
module cacheApp 'containerApp.bicep' = if (!useAzureCacheForRedis) {
  name: 'cache'
  params: {
    name: 'cache'
    location: location
    tags: tags
    environmentId: environmentId
    image: 'docker.io/library/redis:8.6'
    command: [ '/bin/sh' ]
    args: [ '-c', 'redis-server --requirepass $REDIS_PASSWORD' ]
    targetPort: 6379
    transport: 'tcp'
    probes: false
    env: [ { name: 'REDIS_PASSWORD', secretRef: 'cache-password' } ]
    secrets: { list: [ { name: 'cache-password', value: cachePassword } ] }
  }
}

resource redis 'Microsoft.Cache/redis@2024-03-01' = if (useAzureCacheForRedis) {
  name: 'redis-${token}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'Basic', family: 'C', capacity: 0 }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
  }
}

// Manifest resource "postgres": docker.io/library/postgres, user postgres, scram-sha-256, port 5432.
module postgresApp 'containerApp.bicep' = if (!useAzurePostgresFlexibleServer) {
  name: 'postgres'
  params: {
    name: 'postgres'
    location: location
    tags: tags
    environmentId: environmentId
    image: 'docker.io/library/postgres:18.3'
    targetPort: 5432
    transport: 'tcp'
    probes: false
    cpu: '0.5'
    memory: '1Gi'
    env: [
      { name: 'POSTGRES_HOST_AUTH_METHOD', value: 'scram-sha-256' }
      { name: 'POSTGRES_INITDB_ARGS', value: '--auth-host=scram-sha-256 --auth-local=scram-sha-256' }
      { name: 'POSTGRES_USER', value: 'postgres' }
      { name: 'POSTGRES_PASSWORD', secretRef: 'postgres-password' }
    ]
    secrets: { list: [ { name: 'postgres-password', value: postgresPassword } ] }
  }
}

resource flexibleServer 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = if (useAzurePostgresFlexibleServer) {
  name: 'psql-${token}'
  location: location
  tags: tags
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: '16'
    administratorLogin: 'pgadmin'
    administratorLoginPassword: postgresPassword
    storage: { storageSizeGB: 32 }
    highAvailability: { mode: 'Disabled' }
  }

  resource workflowsDatabase 'databases' = {
    name: 'workflows'
  }

  resource allowAzure 'firewallRules' = {
    name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
    properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
  }
}

@secure()
output cacheConnectionString string = useAzureCacheForRedis
  ? '${redis!.properties.hostName}:${redis!.properties.sslPort},password=${redis!.listKeys().primaryKey},ssl=True'
  : 'cache:6379,password=${cachePassword}'

@secure()
output workflowsConnectionString string = useAzurePostgresFlexibleServer
  ? 'Host=${flexibleServer!.properties.fullyQualifiedDomainName};Port=5432;Username=pgadmin;Password=${postgresPassword};Database=workflows;SSL Mode=Require'
  : 'Host=postgres;Port=5432;Username=postgres;Password=${postgresPassword};Database=workflows'
