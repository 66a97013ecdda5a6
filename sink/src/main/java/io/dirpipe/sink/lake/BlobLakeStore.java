package io.dirpipe.sink.lake;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A lake in Azure Blob Storage or ADLS Gen2 through the Blob API (which ADLS Gen2 accounts serve
 * too, and Azurite emulates). A file is one block blob: its blocks are staged, then committed in
 * one call, so it appears whole or not at all.
 *
 * <p>Retries are the storage SDK's (its policy classifies: 408, 429, 5xx and I/O faults retried,
 * the rest not), bounded here: {@value #TRIES} tries of at most {@link #TRY_TIMEOUT} each,
 * exponential backoff from 1 s to 30 s. A write that still fails stops the sink before it commits
 * offsets, so the next start writes the file again.
 */
public final class BlobLakeStore implements LakeStore {
  static final int TRIES = 5;
  static final Duration TRY_TIMEOUT = Duration.ofMinutes(2);

  private final BlobContainerClient container;
  private final String base;
  private final String described;

  private BlobLakeStore(BlobContainerClient container, String base, String described) {
    this.container = container;
    this.base = base.isEmpty() || base.endsWith("/") ? base : base + "/";
    this.described = described;
  }

  /**
   * @param root {@code abfss://container@account.dfs.core.windows.net/path}, {@code
   *     https://account.blob.core.windows.net/container/path}, or a path-style URL of an emulator
   *     ({@code http://127.0.0.1:10000/devstoreaccount1/container/path})
   * @param connectionString account key connection string (emulators), or null to use {@code
   *     credential} (the storage audience)
   */
  public static BlobLakeStore of(
      String root, String connectionString, TokenCredential credential, HttpClient httpClient) {
    Location l = Location.parse(root);
    BlobContainerClientBuilder b =
        new BlobContainerClientBuilder()
            .containerName(l.container())
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    TRIES,
                    TRY_TIMEOUT,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    null));
    if (connectionString != null) {
      b.connectionString(connectionString);
    } else {
      b.endpoint(l.accountUrl()).credential(credential);
    }
    if (httpClient != null) {
      b.httpClient(httpClient);
    }
    BlobContainerClient container = b.buildClient();
    if (!container.exists()) {
      container.create();
    }
    return new BlobLakeStore(container, l.path(), root);
  }

  /** Account URL, container and path of a lake root. */
  record Location(String accountUrl, String container, String path) {
    static Location parse(String root) {
      URI u = URI.create(root);
      String path = u.getPath() == null ? "" : u.getPath().replaceAll("^/+", "");
      if ("abfss".equals(u.getScheme()) || "abfs".equals(u.getScheme())) {
        String account = u.getHost().replace(".dfs.", ".blob.");
        return new Location("https://" + account, u.getUserInfo(), path);
      }
      String[] parts = path.split("/", 3);
      boolean pathStyle = u.getHost().matches("[0-9.]+|localhost");
      if (pathStyle) {
        // emulator: /<account>/<container>/<path>
        return new Location(
            u.getScheme() + "://" + u.getAuthority() + "/" + parts[0],
            parts.length > 1 ? parts[1] : "",
            parts.length > 2 ? parts[2] : "");
      }
      return new Location(
          u.getScheme() + "://" + u.getAuthority(), parts[0], parts.length > 1 ? parts[1] : "");
    }
  }

  @Override
  public void publish(Path localFile, String path) throws IOException {
    container.getBlobClient(base + path).uploadFromFile(localFile.toString(), true);
    Files.deleteIfExists(localFile);
  }

  @Override
  public List<String> list(String prefix) {
    return container.listBlobs(new ListBlobsOptions().setPrefix(base + prefix), null).stream()
        .map(item -> item.getName().substring(base.length()))
        .sorted()
        .toList();
  }

  @Override
  public void delete(String path) {
    container.getBlobClient(base + path).deleteIfExists();
  }

  @Override
  public Path scratch() throws IOException {
    return Files.createTempDirectory("dirpipe-lake");
  }

  @Override
  public String describe() {
    return described;
  }
}
