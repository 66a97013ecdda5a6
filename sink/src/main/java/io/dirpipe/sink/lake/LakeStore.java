package io.dirpipe.sink.lake;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where lake files live. Paths are relative to the root, '/'-separated. A published file appears
 * whole or not at all.
 */
public interface LakeStore {
  /** Makes a finished local file visible at {@code path}, atomically, replacing any file there. */
  void publish(Path localFile, String path) throws IOException;

  /** Every file whose path starts with {@code prefix}. */
  List<String> list(String prefix) throws IOException;

  void delete(String path) throws IOException;

  /** A folder for files being written (local, on the same file system when the store is). */
  Path scratch() throws IOException;

  /** The root, for messages (no credentials). */
  String describe();
}
