/**
 * Everything dirpipe needs to run with no Azure and no Kafka cluster: the emulated Entra tenant and
 * an in-process Kafka broker ({@link io.dirpipe.sandbox.kafka.LocalKafka}). Used by the demo, the
 * tests and the benchmarks; never by a production deployment.
 */
package io.dirpipe.sandbox;
