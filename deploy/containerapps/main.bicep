// dirpipe on Azure Container Apps: one user-assigned identity for every role, an Event Hubs namespace as the Kafka,
// an ADLS Gen2 account for the lake, a Log Analytics workspace with dirpipe's tables and data collection rule
// (../loganalytics.bicep), and one container app per role with its probes on the metrics port.
//
//   az deployment group create -g <rg> -f deploy/containerapps/main.bicep \
//     -p tenantId=<Entra tenant to extract> image=<registry>/dirpipe:<tag>
//
// The one manual step is printed as the output grantCommand: the identity's Graph app roles, which only an
// administrator can grant (dirpipe grant; the portal cannot grant app roles to a managed identity).
// Not deployed from CI (no Azure there): ContainerAppsKitTest checks every command line and variable against
// dirpipe's own parsers.

param location string = resourceGroup().location
@description('The Entra tenant dirpipe extracts (its id).')
param tenantId string
@description('The dirpipe image, built from the repository\'s Dockerfile.')
param image string
param namePrefix string = 'dirpipe'
@description('Premium: Kafka transactions (public preview there), which dirpipe\'s exactly-once needs.')
param eventHubsSku string = 'Premium'

var roles = {
  eventHubsDataOwner: 'f526a384-b230-433a-b45c-95f59c4a2dec'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

module logAnalytics '../loganalytics.bicep' = {
  name: '${namePrefix}-loganalytics'
  params: {
    workspaceName: workspace.name
    location: location
    principalId: identity.properties.principalId
  }
}

resource eventHubs 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: '${namePrefix}-events'
  location: location
  sku: { name: eventHubsSku, tier: eventHubsSku, capacity: 1 }
  properties: {
    kafkaEnabled: true
    minimumTlsVersion: '1.2'
    disableLocalAuth: true // Entra tokens only: no shared access keys
  }
}

resource eventHubsOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: eventHubs
  name: guid(eventHubs.id, identity.id, roles.eventHubsDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventHubsDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(replace('${namePrefix}lake${uniqueString(resourceGroup().id)}', '-', ''), 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    isHnsEnabled: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource lakeContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  name: '${storage.name}/default/lake'
}

resource lakeWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appsEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

// what every role is configured with: environment variables only (dirpipe's keys as DIRPIPE_*)
var common = [
  { name: 'DIRPIPE_TENANT_ID', value: tenantId }
  { name: 'DIRPIPE_CREDENTIAL', value: 'managed-identity' }
  { name: 'DIRPIPE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'DIRPIPE_KAFKA_BOOTSTRAP_SERVERS', value: '${eventHubs.name}.servicebus.windows.net:9093' }
  { name: 'DIRPIPE_KAFKA_SECURITY_PROTOCOL', value: 'SASL_SSL' }
  // SASL OAUTHBEARER with the identity's Entra token for the namespace (its Azure Event Hubs Data Owner role):
  // no connection string anywhere
  { name: 'DIRPIPE_KAFKA_SASL_MECHANISM', value: 'OAUTHBEARER' }
  { name: 'DIRPIPE_TOPICS_VALUE_FORMAT', value: 'json' }
  { name: 'DIRPIPE_TOPICS_PARTITIONS', value: '6' }
  { name: 'DIRPIPE_TOPICS_RETENTION_RAW', value: 'P7D' }
  { name: 'DIRPIPE_TOPICS_RETENTION_CHANGES', value: 'P7D' }
  { name: 'DIRPIPE_LOGS_ENDPOINT', value: logAnalytics.outputs.logsIngestionEndpoint }
  { name: 'DIRPIPE_LOGS_RULE_ID', value: logAnalytics.outputs.dcrImmutableId }
  { name: 'DIRPIPE_LAKE_ROOT', value: 'abfss://lake@${storage.name}.dfs.${environment().suffixes.storage}/dirpipe' }
  { name: 'DIRPIPE_TRANSFORM_STATE_DIR', value: '/var/lib/dirpipe/state' }
  { name: 'DIRPIPE_METRICS_HOST', value: '0.0.0.0' }
  { name: 'DIRPIPE_METRICS_PORT', value: '9464' }
  { name: 'DIRPIPE_LOG_FORMAT', value: 'json' }
]

var apps = [
  { name: 'extract', args: [ 'extract', '--follow', '--interval', 'PT5M' ], memory: '1Gi', cpu: json('0.5') }
  { name: 'transform', args: [ 'transform' ], memory: '2Gi', cpu: json('1.0') }
  { name: 'sink-lake', args: [ 'sink', 'lake' ], memory: '1Gi', cpu: json('0.5') }
  { name: 'sink-loganalytics', args: [ 'sink', 'loganalytics' ], memory: '1Gi', cpu: json('0.5') }
]

resource roleApps 'Microsoft.App/containerApps@2024-03-01' = [for app in apps: {
  name: '${namePrefix}-${app.name}'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    managedEnvironmentId: appsEnvironment.id
    configuration: {
      activeRevisionsMode: 'Single'
    }
    template: {
      containers: [
        {
          name: 'dirpipe'
          image: image
          args: app.args
          env: common
          resources: { cpu: app.cpu, memory: app.memory }
          probes: [
            { type: 'Liveness', httpGet: { path: '/health/live', port: 9464 }, periodSeconds: 20 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 9464 }, periodSeconds: 10 }
            { type: 'Startup', httpGet: { path: '/health/live', port: 9464 }, periodSeconds: 5, failureThreshold: 60 }
          ]
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 1 }
    }
  }
  dependsOn: [ eventHubsOwner, lakeWriter, lakeContainer ]
}]

output identityPrincipalId string = identity.properties.principalId
output identityClientId string = identity.properties.clientId
output grantCommand string = 'dirpipe grant --principal-id ${identity.properties.principalId} --permissions Directory.Read.All'
