package io.dirpipe.extractor.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchAnswersTest {
  private final PageReader ids = new PageReader(null);

  private List<String> read(String json) throws IOException {
    List<String> out = new ArrayList<>();
    BatchAnswers.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        (id, status, headers, body) -> {
          if (status == 200) {
            Page page = ids.read(body, -1, 0);
            out.add(id + ":" + page.items().size() + ":" + page.nextLink());
          } else {
            out.add(
                id
                    + ":"
                    + status
                    + ":"
                    + headers.get("retry-after")
                    + ":"
                    + BatchAnswers.text(body));
          }
        });
    return out;
  }

  @Test
  void answersAreReadInTheOrderGraphSendsThemWhateverTheOrderOfTheirFields() throws IOException {
    String json =
        """
        {"responses":[
          {"id":"1","status":200,"headers":{"Content-Type":"application/json"},
           "body":{"value":[{"id":"a"},{"id":"b"}],"@odata.nextLink":"https://g/v1.0/x?$skiptoken=1"}},
          {"body":{"error":{"code":"TooManyRequests","message":"later"}},
           "headers":{"Retry-After":"2"},"status":429,"id":"0"},
          {"id":"2","status":200,"body":{"value":[]}}
        ]}
        """;
    assertThat(read(json))
        .containsExactly(
            "1:2:https://g/v1.0/x?$skiptoken=1",
            "0:429:2:{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"later\"}}",
            "2:0:null");
  }

  @Test
  void aBodyThatIsNotABatchAnswerFailsTheWholeBatch() {
    assertThatThrownBy(() -> read("{\"value\":[]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no responses array");
    assertThatThrownBy(() -> read("{\"responses\":[{\"id\":\"0\",\"body\":{\"value\":[]}}"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("{\"responses\":[{\"status\":200}]}"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no id or status");
  }
}
