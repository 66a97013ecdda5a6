/**
 * Reading Graph: the SDK's transport (auth, middleware, no retry handler), pages parsed as streams
 * with Jackson straight into Avro records, collection specs, and the host guard for next links.
 */
package io.dirpipe.extractor.graph;
