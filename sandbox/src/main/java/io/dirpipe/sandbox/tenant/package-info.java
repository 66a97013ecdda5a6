/**
 * The emulated tenant: a deterministic, virtual directory (objects are computed from the seed and
 * their index, so a million users cost almost no memory) with an overlay of mutations, a change log
 * that drives delta queries, and the identities and app-role assignments that decide what tokens
 * carry.
 */
package io.dirpipe.sandbox.tenant;
