/**
 * The client side of Graph's resource-unit quota: a Bucket4j bucket per tenant and Retry-After
 * pauses.
 */
package io.dirpipe.extractor.ratelimit;
