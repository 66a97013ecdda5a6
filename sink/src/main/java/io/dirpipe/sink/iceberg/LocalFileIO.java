package io.dirpipe.sink.iceberg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * Iceberg's files on the local file system through java.nio. Iceberg's own local access goes
 * through Hadoop's FileSystem, whose dependency tree (configuration, metrics, security) dirpipe
 * does not carry; this is the whole of what a table needs: read with seeks, write new files,
 * delete. Files are written to a temporary name and moved into place on close, so a crash leaves no
 * half file under a table's name.
 */
public final class LocalFileIO implements FileIO {

  static Path path(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInput(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutput(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  private record LocalInput(String location) implements InputFile {
    @Override
    public long getLength() {
      try {
        return Files.size(path(location));
      } catch (NoSuchFileException e) {
        throw new NotFoundException("No file %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public SeekableInputStream newStream() {
      try {
        return new SeekableChannelStream(FileChannel.open(path(location)));
      } catch (NoSuchFileException e) {
        throw new NotFoundException("No file %s", location);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public boolean exists() {
      return Files.exists(path(location));
    }
  }

  private record LocalOutput(String location) implements OutputFile {
    @Override
    public PositionOutputStream create() {
      if (Files.exists(path(location))) {
        throw new AlreadyExistsException("File exists: %s", location);
      }
      return open(false);
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(true);
    }

    private PositionOutputStream open(boolean overwrite) {
      Path target = path(location);
      try {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        return new MovingOutputStream(
            Files.newOutputStream(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING),
            temp,
            target,
            overwrite);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + location, e);
      }
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInput(location);
    }
  }

  private static final class SeekableChannelStream extends SeekableInputStream {
    private final SeekableByteChannel channel;
    private final java.io.InputStream in;

    SeekableChannelStream(SeekableByteChannel channel) {
      this.channel = channel;
      this.in = Channels.newInputStream(channel);
    }

    @Override
    public long getPos() throws IOException {
      return channel.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      channel.position(newPos);
    }

    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static final class MovingOutputStream extends PositionOutputStream {
    private final OutputStream out;
    private final Path temp;
    private final Path target;
    private final boolean overwrite;
    private long pos;
    private boolean closed;

    MovingOutputStream(OutputStream out, Path temp, Path target, boolean overwrite) {
      this.out = new java.io.BufferedOutputStream(out, 1 << 16);
      this.temp = temp;
      this.target = target;
      this.overwrite = overwrite;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      pos += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      out.close();
      if (overwrite) {
        Files.move(
            temp,
            target,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } else {
        try {
          Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          Files.deleteIfExists(temp);
          throw new AlreadyExistsException("File exists: %s", target);
        }
      }
    }
  }
}
