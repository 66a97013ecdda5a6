package io.dirpipe.schemas.serde;

import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Checkpoint;
import io.dirpipe.schemas.CheckpointKey;
import io.dirpipe.schemas.ExtractionTask;
import io.dirpipe.schemas.MembershipChange;
import io.dirpipe.schemas.MembershipKey;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.schemas.entity.Application;
import io.dirpipe.schemas.entity.Device;
import io.dirpipe.schemas.entity.DirectoryRole;
import io.dirpipe.schemas.entity.Group;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.entity.ServicePrincipal;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.state.EdgeState;
import io.dirpipe.schemas.state.ObjectState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

/**
 * The schemas of every released contract version, committed under {@code
 * io/dirpipe/schemas/history/v<N>.avsc} (v1, v2, ... without gaps). Each file is a JSON array
 * holding the full schema of every message type of that version. Readers use it to decode records
 * written by an older dirpipe; the build checks the current schemas against it (see {@code
 * SchemaEvolutionTest}).
 *
 * <p>To release a contract change, append the current schemas as the next version: {@code mvn -q
 * -pl schemas exec:java} (runs {@link #main}).
 */
public final class SchemaHistory {
  /** The record types written to Kafka as keys or values: the ones whose evolution matters. */
  public static final List<Class<?>> MESSAGES =
      List.of(
          ObjectKey.class,
          Observation.class,
          Change.class,
          MembershipKey.class,
          MembershipChange.class,
          io.dirpipe.schemas.EdgeKey.class,
          io.dirpipe.schemas.EdgeChange.class,
          CheckpointKey.class,
          Checkpoint.class,
          RunEvent.class,
          ExtractionTask.class,
          User.class,
          Group.class,
          Member.class,
          io.dirpipe.schemas.entity.Edge.class,
          io.dirpipe.schemas.entity.RoleDefinition.class,
          io.dirpipe.schemas.entity.RoleAssignment.class,
          io.dirpipe.schemas.entity.RoleEligibilitySchedule.class,
          io.dirpipe.schemas.entity.ConditionalAccessPolicy.class,
          io.dirpipe.schemas.entity.RoleAssignmentSchedule.class,
          io.dirpipe.schemas.entity.DirectoryRoleTemplate.class,
          io.dirpipe.schemas.entity.AdministrativeUnit.class,
          io.dirpipe.schemas.entity.OAuth2PermissionGrant.class,
          io.dirpipe.schemas.entity.UserRegistrationDetails.class,
          io.dirpipe.schemas.entity.DirectoryAudit.class,
          io.dirpipe.schemas.entity.SignIn.class,
          Device.class,
          Application.class,
          ServicePrincipal.class,
          DirectoryRole.class,
          ObjectState.class,
          EdgeState.class);

  private static final String RESOURCE = "/io/dirpipe/schemas/history/v%d.avsc";
  private static volatile SchemaHistory committed;

  private final List<Map<String, Schema>> versions;

  SchemaHistory(List<Map<String, Schema>> versions) {
    this.versions = List.copyOf(versions);
  }

  /** The history committed in this jar. */
  public static SchemaHistory committed() {
    SchemaHistory h = committed;
    if (h == null) {
      synchronized (SchemaHistory.class) {
        if (committed == null) {
          committed = load();
        }
        h = committed;
      }
    }
    return h;
  }

  private static SchemaHistory load() {
    List<Map<String, Schema>> versions = new ArrayList<>();
    for (int v = 1; ; v++) {
      String name = String.format(RESOURCE, v);
      try (InputStream in = SchemaHistory.class.getResourceAsStream(name)) {
        if (in == null) {
          break;
        }
        versions.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read schema history " + name, e);
      }
    }
    return new SchemaHistory(versions);
  }

  /** Parses one version file: a JSON array of record schemas, by full name. */
  static Map<String, Schema> parse(String json) {
    Schema union = new Schema.Parser().parse(json);
    Map<String, Schema> byName = new LinkedHashMap<>();
    for (Schema s : union.getTypes()) {
      byName.put(s.getFullName(), s);
    }
    return byName;
  }

  /** The current schemas of {@link #MESSAGES} as one version file. */
  public static String currentAsJson() {
    List<Schema> schemas = new ArrayList<>();
    for (Class<?> type : MESSAGES) {
      schemas.add(SpecificData.get().getSchema(type));
    }
    return Schema.createUnion(schemas).toString(true) + "\n";
  }

  /** Released versions, oldest first; element i is version i+1. */
  public List<Map<String, Schema>> versions() {
    return versions;
  }

  /** A store resolving every committed schema by fingerprint, for decoders. */
  public SchemaStore store() {
    SchemaStore.Cache cache = new SchemaStore.Cache();
    versions.forEach(v -> v.values().forEach(cache::addSchema));
    return cache;
  }

  /**
   * Appends the current schemas as the next version to the history folder given as the only
   * argument. Does nothing when the current schemas equal the latest version.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SchemaHistory <history folder>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int next = 1;
    while (Files.exists(dir.resolve("v" + next + ".avsc"))) {
      next++;
    }
    String current = currentAsJson();
    if (next > 1
        && parse(Files.readString(dir.resolve("v" + (next - 1) + ".avsc")))
            .equals(parse(current))) {
      System.out.println("The current schemas equal v" + (next - 1) + ": nothing to release.");
      return;
    }
    Files.writeString(dir.resolve("v" + next + ".avsc"), current);
    System.out.println("Wrote " + dir.resolve("v" + next + ".avsc"));
  }
}
