package io.dirpipe.sink.loganalytics;

import com.azure.core.util.serializer.JsonSerializer;
import com.azure.core.util.serializer.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import reactor.core.publisher.Mono;

/**
 * Hands azure-monitor-ingestion the rows' pre-rendered JSON: the client batches what this returns
 * (cutting at 1 MiB) and reports failed batches with the original {@link LogRows.Row} objects.
 */
final class RowSerializer implements JsonSerializer {
  @Override
  public byte[] serializeToBytes(Object value) {
    return ((LogRows.Row) value).json();
  }

  @Override
  public void serialize(OutputStream stream, Object value) {
    try {
      stream.write(serializeToBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Mono<Void> serializeAsync(OutputStream stream, Object value) {
    return Mono.fromRunnable(() -> serialize(stream, value));
  }

  @Override
  public <T> T deserialize(InputStream stream, TypeReference<T> type) {
    throw new UnsupportedOperationException("rows are only sent");
  }

  @Override
  public <T> Mono<T> deserializeAsync(InputStream stream, TypeReference<T> type) {
    return Mono.error(new UnsupportedOperationException("rows are only sent"));
  }
}
