package io.dirpipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.entity.User;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

  /** The build gate: a contract change that breaks readers of a released version fails here. */
  @Test
  void currentSchemasAreCompatibleWithEveryCommittedVersion() {
    SchemaHistory history = SchemaHistory.committed();
    assertThat(history.versions()).as("committed versions").isNotEmpty();

    List<String> problems = SchemaEvolution.problems(history.versions(), currentSchemas());

    assertThat(problems)
        .withFailMessage(
            "The Avro contract changed incompatibly:%n  %s%nGive new fields a default and never remove a"
                + " field that has none (schemas/README.md).",
            String.join("\n  ", problems))
        .isEmpty();
  }

  @Test
  void everyMessageTypeIsInTheLatestCommittedVersion() {
    Map<String, Schema> latest =
        SchemaHistory.committed().versions().get(SchemaHistory.committed().versions().size() - 1);
    for (Schema s : currentSchemas()) {
      assertThat(latest)
          .as("run `mvn -q -pl schemas exec:java` to release " + s.getFullName())
          .containsKey(s.getFullName());
    }
  }

  @Test
  void removingAFieldWithoutDefaultIsReportedByName() {
    Schema v1 = User.getClassSchema();
    Schema now = AvroSerdeTest.withoutFields(v1, "id");

    List<String> problems =
        SchemaEvolution.problems(List.of(Map.of(v1.getFullName(), v1)), List.of(now));

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).contains("User", "v1", "'id'", "without a default");
  }

  @Test
  void addingAFieldWithoutDefaultIsReportedByName() {
    Schema v1 = User.getClassSchema();
    List<Schema.Field> fields = new java.util.ArrayList<>();
    v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
    fields.add(
        new Schema.Field("costCenter", Schema.create(Schema.Type.STRING), "new", (Object) null));
    Schema now = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);

    List<String> problems =
        SchemaEvolution.problems(List.of(Map.of(v1.getFullName(), v1)), List.of(now));

    assertThat(problems).singleElement().asString().contains("current reader", "'costCenter'");
  }

  @Test
  void removingANullableFieldWithDefaultIsCompatible() {
    Schema v1 = User.getClassSchema();
    Schema now = AvroSerdeTest.withoutFields(v1, "jobTitle");

    assertThat(SchemaEvolution.problems(List.of(Map.of(v1.getFullName(), v1)), List.of(now)))
        .isEmpty();
  }

  /**
   * A new collection's entity added to a union (Observation's payload): its records go only to the
   * new collection's topics, which no older reader reads. Any other new branch is reported.
   */
  @Test
  void aNewEntityBranchIsCompatibleAndAnyOtherNewBranchIsNot() {
    Schema entity = Schema.createRecord("Thing", null, SchemaEvolution.ENTITIES, false, List.of());
    Schema other = Schema.createRecord("Thing", null, "io.dirpipe.schemas", false, List.of());
    Schema then = holder(Schema.createUnion(Schema.create(Schema.Type.NULL)));
    Map<String, Schema> v1 = Map.of(then.getFullName(), then);

    Schema withEntity = holder(Schema.createUnion(Schema.create(Schema.Type.NULL), entity));
    Schema withOther = holder(Schema.createUnion(Schema.create(Schema.Type.NULL), other));

    assertThat(SchemaEvolution.problems(List.of(v1), List.of(withEntity))).isEmpty();
    assertThat(SchemaEvolution.problems(List.of(v1), List.of(withOther)))
        .singleElement()
        .asString()
        .contains("reader of v1", "union branch removed");
  }

  private static Schema holder(Schema payload) {
    return Schema.createRecord(
        "Holder",
        null,
        "io.dirpipe.schemas",
        false,
        List.of(new Schema.Field("payload", payload, null, Schema.Field.NULL_DEFAULT_VALUE)));
  }

  private static List<Schema> currentSchemas() {
    return SchemaHistory.MESSAGES.stream().map(c -> SpecificData.get().getSchema(c)).toList();
  }
}
