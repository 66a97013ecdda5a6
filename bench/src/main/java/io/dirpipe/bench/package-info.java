/**
 * Benchmarks of the pipeline against the sandbox and an in-process broker, each run beside its
 * naive baseline and the limits of its parts, in the same JVM and the same run (figures vary ±30 %
 * run to run).
 */
package io.dirpipe.bench;
