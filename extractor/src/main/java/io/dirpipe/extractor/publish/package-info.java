/**
 * Exactly-once publishing: one Kafka transaction per page with its checkpoint, the end-of-run
 * markers and run events; the committed checkpoints read back at start; topics created with the
 * right cleanup policy.
 */
package io.dirpipe.extractor.publish;
