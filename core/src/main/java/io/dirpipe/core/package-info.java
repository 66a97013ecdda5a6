/**
 * What every role shares below the data contract: {@link io.dirpipe.core.Time}, the seam through
 * which everything reads the clock or waits, and ({@link io.dirpipe.core.kafka}) the one way to
 * Kafka.
 */
package io.dirpipe.core;
