/**
 * The sandbox's control API under {@code /_sandbox}: stats, faults, mutations, identities, ingested
 * rows, tokens.
 */
package io.dirpipe.sandbox.control;
