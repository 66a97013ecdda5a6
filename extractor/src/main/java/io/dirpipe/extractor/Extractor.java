package io.dirpipe.extractor;

import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicSetup;
import io.dirpipe.extractor.graph.BatchingSource;
import io.dirpipe.extractor.graph.CollectionSpec;
import io.dirpipe.extractor.graph.GraphTransport;
import io.dirpipe.extractor.graph.Relation;
import io.dirpipe.extractor.publish.Checkpoints;
import io.dirpipe.extractor.publish.Publisher;
import io.dirpipe.extractor.ratelimit.ResourceUnitLimiter;
import io.dirpipe.extractor.run.CollectionRun;
import io.dirpipe.extractor.run.EventRun;
import io.dirpipe.extractor.run.LogContext;
import io.dirpipe.extractor.run.PageFetcher;
import io.dirpipe.extractor.run.Progress;
import io.dirpipe.extractor.run.ProgressBoard;
import io.dirpipe.extractor.run.RelationRun;
import io.dirpipe.extractor.run.RunFailed;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topic;
import io.dirpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the configured collections of one tenant, in parallel, each as a run with its own
 * transactional producer; all runs of the tenant share one resource-unit limiter.
 */
public final class Extractor {
  private static final Logger log = LoggerFactory.getLogger(Extractor.class);

  private final ExtractorConfig config;
  private final String tenantId;
  private final String graphUrl;
  private final CachingCredential credential;
  private final KafkaClients kafka;
  private final Topics topics;
  private final ProgressBoard board = new ProgressBoard();
  private final Time time;

  /**
   * This tenant's share of Graph's quota: it lives as long as the extractor (the worker keeps one
   * per tenant).
   */
  private final ResourceUnitLimiter limiter;

  private javax.net.ssl.X509TrustManager trust;

  /** Graph's TLS certificate is checked against this trust store too (null: the JDK's only). */
  public Extractor trusting(javax.net.ssl.X509TrustManager trustStore) {
    this.trust = trustStore;
    return this;
  }

  public Extractor(
      ExtractorConfig config,
      String tenantId,
      String graphUrl,
      CachingCredential credential,
      KafkaClients kafka,
      Topics topics) {
    this(config, tenantId, graphUrl, credential, kafka, topics, Time.SYSTEM);
  }

  public Extractor(
      ExtractorConfig config,
      String tenantId,
      String graphUrl,
      CachingCredential credential,
      KafkaClients kafka,
      Topics topics,
      Time time) {
    if (tenantId == null) {
      throw new org.apache.kafka.common.config.ConfigException(
          "Extraction needs tenant.id (variable DIRPIPE_TENANT_ID).");
    }
    this.config = config;
    this.tenantId = tenantId;
    this.graphUrl = graphUrl;
    this.credential = credential;
    this.kafka = kafka;
    this.topics = topics;
    this.time = time;
    this.limiter = new ResourceUnitLimiter(config.quota(), time);
  }

  /** Runs every configured collection once; a failed collection does not stop the others. */
  public List<RunSummary> runOnce() throws InterruptedException {
    return runOnce(config.collections(), config.delta());
  }

  /** Runs these collections once in that mode (a task of the worker); others as configured. */
  public List<RunSummary> runOnce(List<Collection<?>> collections, boolean delta)
      throws InterruptedException {
    List<Topic<?, ?>> needed = new ArrayList<>(List.of(topics.checkpoints(), topics.runs()));
    collections.forEach(c -> needed.add(topics.raw(c)));
    TopicSetup.ensure(kafka, needed, topics.layout());
    GraphTransport transport = new GraphTransport(graphUrl, credential, !delta, time, trust);
    PageFetcher fetcher = new PageFetcher(transport, limiter, config.retryPolicy(), time);
    String base = graphUrl + "/" + config.apiVersion();
    // member listings go in JSON batches: as many batches in flight as fill up with the listings
    PageFetcher listings =
        config.batch()
            ? new PageFetcher(
                new BatchingSource(
                    transport,
                    base,
                    (RelationRun.IN_FLIGHT + BatchingSource.MAX - 1) / BatchingSource.MAX),
                limiter,
                config.retryPolicy(),
                time)
            : fetcher;
    boolean members = collections.contains(Collection.GROUP_MEMBERS);
    ExecutorService runs = Executors.newFixedThreadPool(Math.max(1, collections.size()));
    ExecutorService prefetch = Executors.newCachedThreadPool();
    try {
      List<Future<RunSummary>> futures = new ArrayList<>();
      for (Collection<?> c : collections) {
        if (c == Collection.GROUP_MEMBERS && delta && collections.contains(Collection.GROUPS)) {
          continue; // delta runs read members@delta with the groups
        }
        futures.add(runs.submit(() -> run(c, base, delta, members, fetcher, listings, prefetch)));
      }
      List<RunSummary> summaries = new ArrayList<>();
      for (Future<RunSummary> f : futures) {
        try {
          summaries.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
      return summaries;
    } finally {
      runs.shutdownNow();
      prefetch.shutdownNow();
    }
  }

  private RunSummary run(
      Collection<?> c,
      String base,
      boolean delta,
      boolean members,
      PageFetcher fetcher,
      PageFetcher listings,
      ExecutorService prefetch) {
    String transactionalId = config.transactionalIdPrefix() + "-" + tenantId + "-" + c.name();
    try (LogContext context = LogContext.of(tenantId, c.name());
        Publisher publisher = new Publisher(kafka, transactionalId, topics)) {
      // read after initTransactions: that waits until the coordinator has written the commit or
      // abort markers of this pair's previous transaction (a run that just ended, or was killed),
      // so its last checkpoint is below the last stable offset and seen here
      Checkpoint checkpoint =
          Checkpoints.read(kafka, topics.checkpoints()).get(new CheckpointKey(tenantId, c.name()));
      var ctx =
          new CollectionRun.Context(
              tenantId,
              base,
              config.pageSize(),
              delta,
              members,
              fetcher,
              listings,
              publisher,
              topics,
              prefetch,
              board,
              time,
              config.failOnInvalidObject(),
              config.maxCursors(c),
              config.objectsPerCursor());
      Optional<Relation> relation = Relation.of(c);
      RunSummary done =
          c.isEventStream()
              ? new EventRun(ctx, c, config.eventWindow()).run(checkpoint)
              : relation.isPresent()
                  ? new RelationRun(ctx, relation.get()).run(checkpoint)
                  : new CollectionRun(
                          CollectionSpec.of(c, config.select(c), config.selectAdded(c)), ctx)
                      .run(checkpoint);
      log.info(
          "{}: run {} {}: {} records, {} removed, {} pages, {} requests, {} 429s",
          c,
          done.runId(),
          done.status(),
          done.records(),
          done.removed(),
          done.pages(),
          done.requests(),
          done.throttled());
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(c, delta, "interrupted");
    } catch (RunFailed f) {
      log.error(
          "{}: run {} failed after {} pages; the next start resumes after the last committed one",
          c,
          f.summary().runId(),
          f.summary().pages(),
          f.getCause());
      return f.summary();
    } catch (RuntimeException e) {
      log.error("{}: run failed", c, e);
      return failed(c, delta, e.getMessage());
    }
  }

  /** The runs of the current (or last) {@link #runOnce}, readable while they go on. */
  public List<Progress> progress() {
    return board.snapshot();
  }

  private RunSummary failed(Collection<?> c, boolean delta, String error) {
    return new RunSummary(
        tenantId,
        c.name(),
        null,
        delta ? "DELTA" : "FULL",
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        null,
        "failed",
        error,
        0);
  }
}
