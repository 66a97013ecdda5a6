package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.cli.config.ConfigKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The root README as Markdown renders it: every table keeps its rows (a blank line inside a table
 * ends it, and the rows after it render as text), and the configuration reference documents exactly
 * the keys dirpipe knows.
 */
class ReadmeTest {
  static final Path README = Path.of("..", "README.md");
  static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void everyTableKeepsItsRows() throws Exception {
    List<String> lines = Files.readAllLines(README);
    List<String> cut = new ArrayList<>();
    boolean inCode = false;
    for (int i = 1; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("```")) {
        inCode = !inCode;
      }
      boolean afterRow = lines.get(i - 1).startsWith("|");
      boolean blank = lines.get(i).isBlank();
      boolean rowNext = lines.get(i + 1).startsWith("|");
      boolean newTable = i + 2 < lines.size() && lines.get(i + 2).matches("\\|[-| :]+\\|");
      if (!inCode && afterRow && blank && rowNext && !newTable) {
        cut.add("line " + (i + 2) + ": " + lines.get(i + 1));
      }
    }
    assertThat(cut).as("table rows after a blank line (rendered as text, not rows)").isEmpty();
  }

  /**
   * The first cell of each row of the reference names keys: {@code `a.b`}, a family {@code
   * `a.<collection>`}, or a sibling of the key before it in the cell ({@code `a.b`, `.c`} = a.b,
   * a.c).
   */
  @Test
  void theConfigurationReferenceDocumentsExactlyTheKeysDirpipeKnows() throws Exception {
    Set<String> documented = new TreeSet<>();
    List<Pattern> families = new ArrayList<>();
    boolean inReference = false;
    for (String line : Files.readAllLines(README)) {
      if (line.startsWith("## ")) {
        inReference = line.equals("## Configuration");
      }
      if (!inReference || !line.startsWith("| `")) {
        continue;
      }
      String firstCell = line.substring(1, line.indexOf('|', 1));
      Matcher m = CODE.matcher(firstCell);
      String previous = null;
      while (m.find()) {
        String token = m.group(1);
        String key =
            token.startsWith(".") && previous != null
                ? previous.substring(0, previous.lastIndexOf('.')) + token
                : token;
        if (key.contains("<") || key.endsWith(".*")) { // a family; kafka.* passes through
          families.add(
              Pattern.compile(
                  key.replace(".", "\\.")
                      .replaceAll("<[^>]+>", "[A-Za-z0-9]+")
                      .replace("*", ".+")));
        } else {
          documented.add(key);
        }
        previous = key;
      }
    }
    Set<String> known = new TreeSet<>(ConfigKeys.all().names());
    Set<String> undocumented = new TreeSet<>();
    for (String key : known) {
      if (!documented.contains(key) && families.stream().noneMatch(f -> f.matcher(key).matches())) {
        undocumented.add(key);
      }
    }
    Set<String> unknown = new TreeSet<>(documented);
    unknown.removeAll(known);
    assertThat(undocumented).as("keys dirpipe knows that the README's reference lacks").isEmpty();
    assertThat(unknown).as("keys the README documents that dirpipe does not know").isEmpty();
  }
}
