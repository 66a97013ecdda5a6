package io.dirpipe.extractor;

import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Topics;
import java.util.Map;
import java.util.UUID;

/** Extractors wired to a sandbox (its dirpipe-app, client secret) and a test broker. */
final class SandboxExtractors {
  private SandboxExtractors() {}

  static Extractor extractor(
      Sandbox sandbox, TestKafka kafka, Topics topics, Map<String, Object> settings) {
    CachingCredential credential =
        new CachingCredential(new SandboxClients(sandbox).appCredential());
    return new Extractor(
        new ExtractorConfig(settings),
        sandbox.tenant().tenantId(),
        sandbox.url(),
        credential,
        kafka.clients(),
        topics);
  }

  static Topics topics() {
    return new Topics("it" + UUID.randomUUID().toString().substring(0, 6) + ".");
  }
}
