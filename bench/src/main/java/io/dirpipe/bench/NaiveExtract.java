package io.dirpipe.bench;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.DirectoryObjectCollectionResponse;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.GroupCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import com.microsoft.kiota.serialization.KiotaJsonSerialization;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The naive Java baseline of {@code dirpipe bench extract --end-to-end}, run as its own process
 * with the JVM's default options: what a developer writes in an afternoon from the Graph SDK's and
 * Kafka's docs. Users are read with the SDK's typed models and {@link PageIterator} ({@code
 * $select}, {@code $top=999}), each serialized back to its whole JSON with the SDK's serializer and
 * sent by a {@link KafkaProducer} with its defaults.
 *
 * <p>With {@code GROUPS=N} it reads memberships instead, as the SDK's docs show: the groups with
 * {@code $select=id}, then each group's members one call after the other ({@code $select=id},
 * {@code $top=999}, {@link PageIterator}), each edge sent as JSON; it stops after N groups, so the
 * tenant bench can time a sample of a run that would take hours.
 *
 * <p>Environment, set by the bench: {@code GRAPH_BASE_URL} (serves {@code /v1.0}), {@code
 * KAFKA_BOOTSTRAP}, {@code TOPIC}, {@code SELECT} (comma-separated), and the managed identity's
 * {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}.
 */
public final class NaiveExtract {
  private NaiveExtract() {}

  public static void main(String[] args) throws Exception {
    String base = System.getenv("GRAPH_BASE_URL");
    String topic = System.getenv("TOPIC");
    Map<String, Object> kafka =
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getenv("KAFKA_BOOTSTRAP"));
    try (Admin admin = Admin.create(kafka)) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
    GraphServiceClient graph =
        new GraphServiceClient(
            new AzureIdentityAuthenticationProvider(
                new ManagedIdentityCredentialBuilder().build(),
                new String[] {URI.create(base).getHost()},
                "https://graph.microsoft.com/.default"));
    graph.getRequestAdapter().setBaseUrl(base + "/v1.0");
    if (System.getenv("GROUPS") != null) {
      members(graph, kafka, topic, Integer.parseInt(System.getenv("GROUPS")));
      return;
    }
    AtomicLong users = new AtomicLong();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
      String[] select = System.getenv("SELECT").split(",");
      eachUser(
          graph,
          select,
          u -> {
            try {
              producer.send(
                  new ProducerRecord<>(
                      topic, u.getId(), KiotaJsonSerialization.serializeAsString(u)));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            users.incrementAndGet();
          });
    }
    System.out.println("{\"users\":" + users.get() + "}");
  }

  /**
   * Every user, the way the SDK's docs page a collection: the first page with {@code $top=999} and
   * {@code $select}, then {@link PageIterator} over its next links.
   */
  static void eachUser(GraphServiceClient graph, String[] select, Consumer<User> each)
      throws ReflectiveOperationException {
    UserCollectionResponse first =
        graph
            .users()
            .get(
                rc -> {
                  rc.queryParameters.top = 999;
                  rc.queryParameters.select = select;
                });
    new PageIterator.Builder<User, UserCollectionResponse>()
        .client(graph)
        .collectionPage(first)
        .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(
            u -> {
              each.accept(u);
              return true;
            })
        .build()
        .iterate();
  }

  /** The members of the first {@code limit} groups, one group after the other. */
  private static void members(
      GraphServiceClient graph, Map<String, Object> kafka, String topic, int limit)
      throws ReflectiveOperationException {
    AtomicLong groups = new AtomicLong();
    AtomicLong edges = new AtomicLong();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
      GroupCollectionResponse first =
          graph
              .groups()
              .get(
                  rc -> {
                    rc.queryParameters.top = 999;
                    rc.queryParameters.select = new String[] {"id"};
                  });
      new PageIterator.Builder<Group, GroupCollectionResponse>()
          .client(graph)
          .collectionPage(first)
          .collectionPageFactory(GroupCollectionResponse::createFromDiscriminatorValue)
          .processPageItemCallback(
              g -> {
                try {
                  eachMember(graph, g.getId(), producer, topic, edges);
                } catch (ReflectiveOperationException e) {
                  throw new IllegalStateException(e);
                }
                return groups.incrementAndGet() < limit;
              })
          .build()
          .iterate();
    }
    System.out.println("{\"groups\":" + groups.get() + ",\"edges\":" + edges.get() + "}");
  }

  private static void eachMember(
      GraphServiceClient graph,
      String groupId,
      KafkaProducer<String, String> producer,
      String topic,
      AtomicLong edges)
      throws ReflectiveOperationException {
    DirectoryObjectCollectionResponse first =
        graph
            .groups()
            .byGroupId(groupId)
            .members()
            .get(
                rc -> {
                  rc.queryParameters.top = 999;
                  rc.queryParameters.select = new String[] {"id"};
                });
    new PageIterator.Builder<DirectoryObject, DirectoryObjectCollectionResponse>()
        .client(graph)
        .collectionPage(first)
        .collectionPageFactory(DirectoryObjectCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(
            m -> {
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      groupId,
                      "{\"groupId\":\""
                          + groupId
                          + "\",\"memberId\":\""
                          + m.getId()
                          + "\",\"type\":\""
                          + m.getOdataType()
                          + "\"}"));
              edges.incrementAndGet();
              return true;
            })
        .build()
        .iterate();
  }
}
