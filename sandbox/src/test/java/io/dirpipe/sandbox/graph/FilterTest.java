package io.dirpipe.sandbox.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.sandbox.tenant.Kind;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class FilterTest {
  static final Map<String, Object> ADA =
      Map.of(
          "displayName",
          "Ada Lovelace",
          "accountEnabled",
          true,
          "userType",
          "Member",
          "department",
          "Research",
          "createdDateTime",
          "2021-03-04T10:11:12Z");

  static boolean test(String filter) {
    Predicate<Map<String, Object>> p = Filter.parse(filter, Kind.USER);
    return p.test(ADA);
  }

  @Test
  void supportsTheDocumentedOperators() {
    assertThat(test("accountEnabled eq true")).isTrue();
    assertThat(test("userType ne 'Guest'")).isTrue();
    assertThat(test("startsWith(displayName,'ada')")).isTrue();
    assertThat(test("department in ('Sales', 'Research')")).isTrue();
    assertThat(test("department in ('Sales')")).isFalse();
    assertThat(test("accountEnabled eq true and (userType eq 'Guest' or department eq 'research')"))
        .isTrue();
    assertThat(test("accountEnabled eq false or userType eq 'Guest'")).isFalse();
    assertThat(test("createdDateTime ge 2021-01-01T00:00:00Z")).isTrue();
    assertThat(test("displayName eq 'O''Brien'")).isFalse();
  }

  @Test
  void unsupportedPropertyIsRequestUnsupportedQuery() {
    assertThatThrownBy(() -> test("mobilePhone eq '1'"))
        .isInstanceOfSatisfying(
            GraphError.class,
            e -> {
              assertThat(e.status).isEqualTo(400);
              assertThat(e.code).isEqualTo("Request_UnsupportedQuery");
            })
        .hasMessage(
            "Unsupported or invalid query filter clause specified for property 'mobilePhone' of resource 'User'.");
  }

  @Test
  void syntaxErrorsAreBadRequests() {
    for (String bad :
        new String[] {
          "accountEnabled eq",
          "(userType eq 'x'",
          "userType eq 'open",
          "userType eq 'a' xor accountEnabled eq true"
        }) {
      assertThatThrownBy(() -> test(bad)).as(bad).isInstanceOf(GraphError.class);
    }
  }
}
