/**
 * Kafka's SASL OAUTHBEARER login with dirpipe's Entra credential (Azure Event Hubs' Kafka
 * endpoint).
 */
package io.dirpipe.identity.kafka;
