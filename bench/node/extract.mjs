// The Node.js baseline of `dirpipe bench extract --end-to-end`: what a developer writes in an
// afternoon from the Graph JS client's and kafkajs' docs. Users are read with PageIterator
// ($select, $top=999) and each page's users are sent to Kafka as whole JSON values keyed by id.
//
// Environment (set by the bench from the sandbox's export lines):
//   GRAPH_BASE_URL      https base URL that serves /v1.0 (the JS client sends tokens only over https)
//   KAFKA_BOOTSTRAP     bootstrap servers
//   TOPIC               topic to write
//   SELECT              comma-separated $select
//   IDENTITY_ENDPOINT, IDENTITY_HEADER   the managed identity (App Service form) the credential uses
//   NODE_EXTRA_CA_CERTS the sandbox's CA certificate (PEM)
import { Client, PageIterator } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { ManagedIdentityCredential } from "@azure/identity";
import { Kafka, logLevel } from "kafkajs";

const base = new URL(process.env.GRAPH_BASE_URL);
const client = Client.initWithMiddleware({
  authProvider: new TokenCredentialAuthenticationProvider(new ManagedIdentityCredential(), {
    scopes: ["https://graph.microsoft.com/.default"],
  }),
  baseUrl: base.origin + "/",
  customHosts: new Set([base.hostname]),
});

const kafka = new Kafka({ clientId: "baseline", brokers: process.env.KAFKA_BOOTSTRAP.split(","), logLevel: logLevel.ERROR });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: process.env.TOPIC, numPartitions: 3 }] });
await admin.disconnect();
const producer = kafka.producer();
await producer.connect();

let batch = [];
const sends = [];
let users = 0;
const first = await client.api("/users").version("v1.0").select(process.env.SELECT).top(999).get();
const pages = new PageIterator(client, first, (user) => {
  batch.push({ key: user.id, value: JSON.stringify(user) });
  users++;
  if (batch.length === 999) {
    sends.push(producer.send({ topic: process.env.TOPIC, messages: batch }));
    batch = [];
  }
  return true;
});
await pages.iterate();
if (batch.length > 0) {
  sends.push(producer.send({ topic: process.env.TOPIC, messages: batch }));
}
await Promise.all(sends);
await producer.disconnect();
console.log(JSON.stringify({ users }));
