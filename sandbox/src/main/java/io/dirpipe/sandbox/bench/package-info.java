/**
 * Benchmarks of the sandbox itself: how fast it serves Graph pages, beside a static-page baseline.
 */
package io.dirpipe.sandbox.bench;
