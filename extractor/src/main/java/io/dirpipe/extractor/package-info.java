/**
 * Extraction of Graph collections into Kafka: {@link io.dirpipe.extractor.Extractor} runs each
 * collection (FULL or DELTA) as pages read through the Graph SDK's transport ({@code graph}), paid
 * for with resource units ({@code ratelimit}) and published one transaction per page with its
 * checkpoint ({@code publish}); {@code run} holds the page loop, with resume, retries and
 * pipelining.
 */
package io.dirpipe.extractor;
