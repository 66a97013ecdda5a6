/**
 * The Azure Monitor Logs Ingestion API (FACTS.md §8): {@code POST
 * /dataCollectionRules/{dcr}/streams/{stream}}, monitor-audience tokens, 1 MB limit, 429 with
 * Retry-After, 204 on success, and the rows kept for inspection.
 */
package io.dirpipe.sandbox.logs;
