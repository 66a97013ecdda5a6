/**
 * The data contract between dirpipe's stages: the Avro records generated from {@code
 * src/main/avro}, the collections dirpipe reads ({@link io.dirpipe.schemas.Collection}) and the
 * typed topic catalogue ({@link io.dirpipe.schemas.Topics}). Stages never call each other; they
 * share only these topics and schemas.
 */
package io.dirpipe.schemas;
