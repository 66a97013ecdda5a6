package io.dirpipe.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A child process's output read while it runs: a child that writes more than a pipe holds (64 KB on
 * Linux) blocks until someone reads, so waiting for it first and reading after can hang.
 */
public final class ChildOutput {
  private ChildOutput() {}

  /** Starts reading {@code stream} to its end on another thread. */
  public static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
