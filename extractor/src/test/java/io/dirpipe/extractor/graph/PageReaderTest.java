package io.dirpipe.extractor.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.schemas.entity.Group;
import io.dirpipe.schemas.entity.User;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageReaderTest {
  static Page read(PageReader r, String json) throws IOException {
    return r.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 2, 0.0);
  }

  @Test
  void readsUsersStraightIntoAvroWhateverTheOrderOfTheLinks() throws IOException {
    String json =
        """
        {"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=x","@odata.context":"c",
         "value":[{"id":"u1","displayName":"Ada","accountEnabled":true,"createdDateTime":"2021-03-04T10:11:12Z",
                   "assignedLicenses":[{"skuId":"s1","disabledPlans":["p"]}],"proxyAddresses":["SMTP:a@x"],
                   "mobilePhone":null,"unknownThing":{"nested":[1,2]},"jobTitle":null}]}
        """;
    Page page = read(new PageReader(User.getClassSchema()), json);

    assertThat(page.nextLink()).endsWith("$skiptoken=x");
    assertThat(page.items()).hasSize(1);
    User u = (User) page.items().get(0).entity();
    assertThat(u.getId()).isEqualTo("u1");
    assertThat(u.getAccountEnabled()).isTrue();
    assertThat(u.getCreatedDateTime()).isEqualTo(Instant.parse("2021-03-04T10:11:12Z"));
    assertThat(u.getAssignedLicenses().get(0).getSkuId()).isEqualTo("s1");
    assertThat(u.getProxyAddresses()).containsExactly("SMTP:a@x");
    assertThat(u.getJobTitle()).isNull();
  }

  @Test
  void readsRemovedObjectsAndMembersOfDeltaPages() throws IOException {
    String json =
        """
        {"value":[{"id":"g1","displayName":"Team","members@delta":[{"@odata.type":"#microsoft.graph.user","id":"u1"},
                                                                   {"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"}}]},
                  {"id":"g2","@removed":{"reason":"changed"}}],
         "@odata.deltaLink":"https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=t"}
        """;
    Page page = read(new PageReader(Group.getClassSchema()), json);

    assertThat(page.deltaLink()).endsWith("$deltatoken=t");
    assertThat(page.items().get(0).members())
        .containsExactly(
            new Page.MemberRef("u1", "user", false), new Page.MemberRef("u2", "user", true));
    assertThat(page.items().get(1).removedReason()).isEqualTo("changed");
    assertThat(page.items().get(1).entity()).isNull();
    assertThat(page.items().get(1).id()).isEqualTo("g2");
  }

  @Test
  void aTruncatedPageIsAnErrorNeverHalfAPage() {
    String cut = "{\"value\":[{\"id\":\"u1\",\"displayName\":\"Ada\"},{\"id\":\"u2\",\"displ";
    assertThatThrownBy(() -> read(new PageReader(User.getClassSchema()), cut))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read(new PageReader(User.getClassSchema()), "[]"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aBodyThatIsNotACollectionPageIsAnErrorNeverAnEmptyLastPage() {
    PageReader users = new PageReader(User.getClassSchema());
    PageReader ids = new PageReader(null);
    for (String[] bad :
        new String[][] {
          {"{}", "no value array"},
          {"{\"@odata.context\":\"c\"}", "no value array"},
          {"{\"value\":null}", "value is null, not an array"},
          {"{\"value\":{\"id\":\"u1\"}}", "value is an object, not an array"},
          {"{\"value\":[{\"id\":\"u1\"},null]}", "item 2 of the page is null"},
          {"{\"value\":[\"u1\"]}", "item 1 of the page is a string"},
          // Graph's error shape (https://learn.microsoft.com/graph/errors), sent with status 200
          {
            "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Access token has expired.\","
                + "\"innerError\":{\"date\":\"2026-03-01T00:00:00\",\"request-id\":\"r\"}}}",
            "an error object, not a collection page (code InvalidAuthenticationToken)"
          }
        }) {
      for (PageReader r : new PageReader[] {users, ids}) {
        assertThatThrownBy(() -> read(r, bad[0]))
            .as(bad[0])
            .isInstanceOf(IOException.class)
            .hasMessageContaining(bad[1]);
      }
    }
  }

  @Test
  void anEmptyValueArrayIsAnEmptyPage() throws IOException {
    Page page = read(new PageReader(User.getClassSchema()), "{\"value\":[]}");
    assertThat(page.items()).isEmpty();
    assertThat(page.nextLink()).isNull();
  }
}
