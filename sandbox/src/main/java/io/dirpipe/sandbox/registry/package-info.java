/**
 * A schema registry speaking the subset of the Confluent Schema Registry REST API that serializers
 * and the common client libraries use, so that dirpipe's topics are written in the real Confluent
 * wire format where the project runs alone. Its state lives in a compacted {@code _schemas} topic,
 * in Confluent's own record layout. One instance per cluster: there is no leader election.
 */
package io.dirpipe.sandbox.registry;
