package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.Main;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's CLI examples stay true: each {@code bin/skillhost …} line parses as a command
 * (no renamed option or command slips by); the other CLI tests run the same command lines.
 */
class CliReadmeTest {

  private static final Pattern WORD = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)");

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void every_cli_example_in_the_readme_parses() throws Exception {
    List<String> examples = Files.readAllLines(Skillhost.REPO.resolve("README.md")).stream()
        .filter(l -> l.startsWith("bin/skillhost ")).toList();

    assertThat(examples).hasSizeGreaterThanOrEqualTo(10);
    for (String example : examples) {
      List<String> args = words(example.replaceFirst("\\s+#.*$", "").substring("bin/skillhost ".length()));
      var parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(parsed.subcommand()).as(example).isNotNull();
    }
  }

  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words;
  }
}
