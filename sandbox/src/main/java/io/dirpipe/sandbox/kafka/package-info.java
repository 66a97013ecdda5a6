/** A real single-node KRaft Kafka broker in this JVM, on loopback. */
package io.dirpipe.sandbox.kafka;
