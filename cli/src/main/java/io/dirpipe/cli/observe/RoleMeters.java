package io.dirpipe.cli.observe;

import io.dirpipe.schemas.Collection;
import io.dirpipe.sink.SinkStats;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** The transformer's and the sinks' counters, read from their own statistics at each scrape. */
public final class RoleMeters {
  private RoleMeters() {}

  /** Observations in and change events out, per collection (and operation). */
  public static void transformer(
      MeterRegistry registry, Transformer transformer, TransformerConfig config) {
    for (Collection<?> c : config.collections()) {
      List<String> ops =
          c.isObjectCollection() ? List.of("CREATE", "UPDATE", "DELETE") : List.of("ADD", "REMOVE");
      transform(registry, transformer, "dirpipe.transform.input", c.name(), null, "input");
      for (String op : ops) {
        transform(registry, transformer, "dirpipe.transform.events", c.name(), op, op);
      }
    }
  }

  private static void transform(
      MeterRegistry registry,
      Transformer transformer,
      String name,
      String collection,
      String op,
      String key) {
    FunctionCounter.Builder<Transformer> b =
        FunctionCounter.builder(
                name,
                transformer,
                t -> t.stats().snapshot().getOrDefault(collection, Map.of()).getOrDefault(key, 0L))
            .description(op == null ? "Observations processed." : "Change events emitted.")
            .tag("collection", collection);
    if (op != null) {
      b.tag("op", op);
    }
    b.register(registry);
  }

  /** Records read, rows and bytes delivered, batches, files, retries, dead letters of a sink. */
  public static void sink(MeterRegistry registry, String kind, SinkStats stats) {
    Map<String, Function<SinkStats, LongAdder>> fields =
        Map.of(
            "dirpipe.sink.records", s -> s.records,
            "dirpipe.sink.rows", s -> s.rows,
            "dirpipe.sink.bytes", s -> s.bytes,
            "dirpipe.sink.batches", s -> s.batches,
            "dirpipe.sink.files", s -> s.files,
            "dirpipe.sink.retries", s -> s.retries,
            "dirpipe.sink.dead.lettered", s -> s.deadLettered);
    fields.forEach(
        (name, field) ->
            FunctionCounter.builder(name, stats, s -> field.apply(s).sum())
                .tag("sink", kind)
                .register(registry));
  }
}
