/**
 * Kafka access: {@link io.dirpipe.core.kafka.KafkaClients}, the one factory of producers, consumers
 * and admin clients, and the topic helpers every stage uses on top of it (creating topics, reading
 * a topic whole, end offsets).
 */
package io.dirpipe.core.kafka;
