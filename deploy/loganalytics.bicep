// The Log Analytics side of dirpipe's loganalytics sink: five custom tables, a data collection
// rule (kind Direct: it has its own Logs Ingestion endpoint) declaring the five streams the sink
// sends, and the role that lets dirpipe's managed identity send to it.
//
//   az deployment group create -g <rg> -f deploy/loganalytics.bicep \
//     -p workspaceName=<workspace> principalId=<dirpipe identity's object id>
//
// Then configure dirpipe with the outputs:
//   logs.endpoint = <logsIngestionEndpoint>, logs.rule-id = <dcrImmutableId>
// The column names and types are the rows dirpipe sends (sink/README.md). Not deployed from this
// repository's CI (no Azure there): the sandbox accepts the same streams.

param workspaceName string
param location string = resourceGroup().location
param principalId string
param dcrName string = 'dirpipe'

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource dirpipechanges 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'DirpipeChanges_CL'
  properties: {
    schema: {
      name: 'DirpipeChanges_CL'
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }
        { name: 'TenantId', type: 'string' }
        { name: 'Collection', type: 'string' }
        { name: 'ObjectId', type: 'string' }
        { name: 'Operation', type: 'string' }
        { name: 'ChangedFields', type: 'dynamic' }
        { name: 'DeleteReason', type: 'string' }
        { name: 'RunId', type: 'string' }
        { name: 'Mode', type: 'string' }
        { name: 'ObservedAt', type: 'datetime' }
        { name: 'Before', type: 'dynamic' }
        { name: 'After', type: 'dynamic' }
        { name: 'EventId', type: 'string' }
      ]
    }
  }
}

resource dirpipememberships 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'DirpipeMemberships_CL'
  properties: {
    schema: {
      name: 'DirpipeMemberships_CL'
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }
        { name: 'TenantId', type: 'string' }
        { name: 'GroupId', type: 'string' }
        { name: 'MemberId', type: 'string' }
        { name: 'MemberType', type: 'string' }
        { name: 'Operation', type: 'string' }
        { name: 'RunId', type: 'string' }
        { name: 'Mode', type: 'string' }
        { name: 'EventId', type: 'string' }
      ]
    }
  }
}

resource dirpipeedges 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'DirpipeEdges_CL'
  properties: {
    schema: {
      name: 'DirpipeEdges_CL'
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }
        { name: 'TenantId', type: 'string' }
        { name: 'Kind', type: 'string' }
        { name: 'FromId', type: 'string' }
        { name: 'ToId', type: 'string' }
        { name: 'ToType', type: 'string' }
        { name: 'Qualifier', type: 'string' }
        { name: 'Attributes', type: 'dynamic' }
        { name: 'Operation', type: 'string' }
        { name: 'RunId', type: 'string' }
        { name: 'Mode', type: 'string' }
        { name: 'EventId', type: 'string' }
      ]
    }
  }
}

resource dirpipeevents 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'DirpipeEvents_CL'
  properties: {
    schema: {
      name: 'DirpipeEvents_CL'
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }
        { name: 'TenantId', type: 'string' }
        { name: 'Stream', type: 'string' }
        { name: 'Id', type: 'string' }
        { name: 'RunId', type: 'string' }
        { name: 'Event', type: 'dynamic' }
        { name: 'EventId', type: 'string' }
      ]
    }
  }
}

resource dirpiperuns 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = {
  parent: workspace
  name: 'DirpipeRuns_CL'
  properties: {
    schema: {
      name: 'DirpipeRuns_CL'
      columns: [
        { name: 'TimeGenerated', type: 'datetime' }
        { name: 'RunId', type: 'string' }
        { name: 'TenantId', type: 'string' }
        { name: 'Collection', type: 'string' }
        { name: 'Mode', type: 'string' }
        { name: 'EventType', type: 'string' }
        { name: 'StartedAt', type: 'datetime' }
        { name: 'Records', type: 'long' }
        { name: 'Removed', type: 'long' }
        { name: 'Pages', type: 'int' }
        { name: 'Requests', type: 'long' }
        { name: 'Throttled', type: 'long' }
        { name: 'ResourceUnits', type: 'long' }
        { name: 'Digest', type: 'string' }
        { name: 'Error', type: 'string' }
        { name: 'EventId', type: 'string' }
      ]
    }
  }
}

resource dcr 'Microsoft.Insights/dataCollectionRules@2023-03-11' = {
  name: dcrName
  location: location
  kind: 'Direct'
  properties: {
    streamDeclarations: {
      'Custom-DirpipeChanges_CL': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'TenantId', type: 'string' }
          { name: 'Collection', type: 'string' }
          { name: 'ObjectId', type: 'string' }
          { name: 'Operation', type: 'string' }
          { name: 'ChangedFields', type: 'dynamic' }
          { name: 'DeleteReason', type: 'string' }
          { name: 'RunId', type: 'string' }
          { name: 'Mode', type: 'string' }
          { name: 'ObservedAt', type: 'datetime' }
          { name: 'Before', type: 'dynamic' }
          { name: 'After', type: 'dynamic' }
          { name: 'EventId', type: 'string' }
        ]
      }
      'Custom-DirpipeMemberships_CL': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'TenantId', type: 'string' }
          { name: 'GroupId', type: 'string' }
          { name: 'MemberId', type: 'string' }
          { name: 'MemberType', type: 'string' }
          { name: 'Operation', type: 'string' }
          { name: 'RunId', type: 'string' }
          { name: 'Mode', type: 'string' }
          { name: 'EventId', type: 'string' }
        ]
      }
      'Custom-DirpipeEdges_CL': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'TenantId', type: 'string' }
          { name: 'Kind', type: 'string' }
          { name: 'FromId', type: 'string' }
          { name: 'ToId', type: 'string' }
          { name: 'ToType', type: 'string' }
          { name: 'Qualifier', type: 'string' }
          { name: 'Attributes', type: 'dynamic' }
          { name: 'Operation', type: 'string' }
          { name: 'RunId', type: 'string' }
          { name: 'Mode', type: 'string' }
          { name: 'EventId', type: 'string' }
        ]
      }
      'Custom-DirpipeEvents_CL': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'TenantId', type: 'string' }
          { name: 'Stream', type: 'string' }
          { name: 'Id', type: 'string' }
          { name: 'RunId', type: 'string' }
          { name: 'Event', type: 'dynamic' }
          { name: 'EventId', type: 'string' }
        ]
      }
      'Custom-DirpipeRuns_CL': {
        columns: [
          { name: 'TimeGenerated', type: 'datetime' }
          { name: 'RunId', type: 'string' }
          { name: 'TenantId', type: 'string' }
          { name: 'Collection', type: 'string' }
          { name: 'Mode', type: 'string' }
          { name: 'EventType', type: 'string' }
          { name: 'StartedAt', type: 'datetime' }
          { name: 'Records', type: 'long' }
          { name: 'Removed', type: 'long' }
          { name: 'Pages', type: 'int' }
          { name: 'Requests', type: 'long' }
          { name: 'Throttled', type: 'long' }
          { name: 'ResourceUnits', type: 'long' }
          { name: 'Digest', type: 'string' }
          { name: 'Error', type: 'string' }
          { name: 'EventId', type: 'string' }
        ]
      }
    }
    destinations: {
      logAnalytics: [
        { name: 'workspace', workspaceResourceId: workspace.id }
      ]
    }
    dataFlows: [
      {
        streams: [ 'Custom-DirpipeChanges_CL' ]
        destinations: [ 'workspace' ]
        transformKql: 'source'
        outputStream: 'Custom-DirpipeChanges_CL'
      }
      {
        streams: [ 'Custom-DirpipeMemberships_CL' ]
        destinations: [ 'workspace' ]
        transformKql: 'source'
        outputStream: 'Custom-DirpipeMemberships_CL'
      }
      {
        streams: [ 'Custom-DirpipeEdges_CL' ]
        destinations: [ 'workspace' ]
        transformKql: 'source'
        outputStream: 'Custom-DirpipeEdges_CL'
      }
      {
        streams: [ 'Custom-DirpipeEvents_CL' ]
        destinations: [ 'workspace' ]
        transformKql: 'source'
        outputStream: 'Custom-DirpipeEvents_CL'
      }
      {
        streams: [ 'Custom-DirpipeRuns_CL' ]
        destinations: [ 'workspace' ]
        transformKql: 'source'
        outputStream: 'Custom-DirpipeRuns_CL'
      }
    ]
  }
  dependsOn: [ dirpipechanges, dirpipememberships, dirpipeedges, dirpipeevents, dirpiperuns ]
}

// Monitoring Metrics Publisher on the rule: what the Logs Ingestion API checks.
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dcr
  name: guid(dcr.id, principalId, '3913510d-42f4-4e42-8a64-420c390055eb')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output logsIngestionEndpoint string = dcr.properties.endpoints.logsIngestion
output dcrImmutableId string = dcr.properties.immutableId
