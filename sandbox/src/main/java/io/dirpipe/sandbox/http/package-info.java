/**
 * Loopback HTTP plumbing of the sandbox on the JDK's {@code com.sun.net.httpserver}: parsed
 * exchanges, a regex router, and the faults injected into answers (latency, resets, truncated
 * bodies).
 */
package io.dirpipe.sandbox.http;
