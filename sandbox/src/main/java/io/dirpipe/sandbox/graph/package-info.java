/**
 * The emulated Microsoft Graph ({@code /v1.0}, {@code /beta}): directory collections with {@code
 * $select}, {@code $top}, {@code $filter}, {@code $count} and opaque next links, delta queries with
 * {@code @removed} and {@code members@delta}, writes, app-role assignments, bearer-token checks
 * with Graph's error envelope, and the resource-unit throttling model (FACTS.md §4-7).
 */
package io.dirpipe.sandbox.graph;
