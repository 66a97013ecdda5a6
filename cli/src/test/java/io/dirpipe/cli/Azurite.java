package io.dirpipe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite's Blob service on loopback, for tests: installed from npm into {@code
 * ~/.cache/dirpipe/azurite} on first use (about 20 s), started on a free port with its data in a
 * given folder, killed on close.
 */
final class Azurite implements AutoCloseable {
  static final String VERSION = "3.37.0";
  static final String ACCOUNT = "devstoreaccount1";

  /** Azurite's documented development key: not a secret. */
  static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Pattern LISTENING = Pattern.compile("listens on (http://\\S+)");
  private final Process process;
  private final String url;

  private Azurite(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static Azurite start(Path data) throws Exception {
    Path main = install();
    Process p =
        new ProcessBuilder(
                "node",
                main.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                "0",
                "--location",
                data.toString(),
                "--skipApiVersionCheck",
                "--silent")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String url =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    for (String line; (line = out.readLine()) != null; ) {
                      Matcher m = LISTENING.matcher(line);
                      if (m.find()) {
                        return m.group(1);
                      }
                    }
                    return null;
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(60, TimeUnit.SECONDS);
    if (url == null) {
      p.destroyForcibly();
      throw new IllegalStateException("Azurite did not start");
    }
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "azurite-output");
    drain.setDaemon(true);
    drain.start();
    return new Azurite(p, url.replaceAll("/$", ""));
  }

  private static Path install() throws Exception {
    Path home = Path.of(System.getProperty("user.home"), ".cache", "dirpipe", "azurite-" + VERSION);
    Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
    if (!Files.exists(main)) {
      Files.createDirectories(home);
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error",
                  "--prefix",
                  home.toString(),
                  "azurite@" + VERSION)
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("npm-install.log").toFile())
              .start();
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.exists(main)) {
        throw new IllegalStateException(
            "npm install azurite@" + VERSION + " failed: see " + home.resolve("npm-install.log"));
      }
    }
    return main;
  }

  /** The Blob endpoint of the development account, e.g. http://127.0.0.1:PORT/devstoreaccount1. */
  String blobEndpoint() {
    return url + "/" + ACCOUNT;
  }

  String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly(); // it has been seen to hang on SIGTERM
    }
  }
}
