/**
 * Kafka serdes for the Avro records, in Avro single-object encoding (magic bytes, the writer
 * schema's 64-bit fingerprint, the binary body): no schema registry is needed, and a record written
 * by an older dirpipe is read through the committed {@link io.dirpipe.schemas.serde.SchemaHistory}.
 */
package io.dirpipe.schemas.serde;
