package io.dirpipe.sink.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A lake in a local folder. Files are written under {@code <root>/_scratch} and renamed into place
 * ({@code ATOMIC_MOVE} on the same file system), so a reader never sees a partial file.
 */
public final class LocalLakeStore implements LakeStore {
  static final String SCRATCH = "_scratch";
  private final Path root;

  public LocalLakeStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public void publish(Path localFile, String path) throws IOException {
    Path target = root.resolve(path);
    Files.createDirectories(target.getParent());
    Files.move(
        localFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    Path start =
        root.resolve(prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : "");
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(start)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.startsWith(prefix) && !p.startsWith(SCRATCH + "/"))
          .sorted()
          .toList();
    }
  }

  @Override
  public void delete(String path) throws IOException {
    Files.deleteIfExists(root.resolve(path));
  }

  @Override
  public Path scratch() throws IOException {
    return Files.createDirectories(root.resolve(SCRATCH));
  }

  @Override
  public String describe() {
    return root.toString();
  }
}
