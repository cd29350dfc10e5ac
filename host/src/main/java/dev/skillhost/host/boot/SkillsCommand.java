package dev.skillhost.host.boot;

import dev.skillhost.host.skills.LoadResult;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.skills.RoutingExamples;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.Localized;
import dev.skillhost.host.skills.ManifestProblem;
import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillExamples;
import dev.skillhost.host.skills.SkillLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code skillhost skills lint|test|render}: the manifest author's tools. Problems print as
 * {@code file:line:column: severity: message} lines, the way compilers print them, so editors and
 * CI can jump to them. Exit status: 0 fine, 1 a manifest has errors or a failing example, 2 bad input.
 */
@Command(name = "skills", description = "Check, test and preview skill manifests.",
    subcommands = {SkillsCommand.Lint.class, SkillsCommand.Test.class, SkillsCommand.Render.class})
public final class SkillsCommand implements Callable<Integer> {

  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return BAD_INPUT;
  }

  /** A mistake in what the user typed: one plain line, no stack trace. */
  static final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
      super(message, null, false, false);
    }
  }

  /** Shared by the three commands: output streams, manifest discovery and error handling. */
  abstract static class Base implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    abstract int run();

    @Override
    public Integer call() {
      try {
        return run();
      } catch (BadInput e) {
        err().println("skillhost: " + e.getMessage());
        return BAD_INPUT;
      } catch (RuntimeException e) {
        err().println("skillhost: " + e);
        return FAILED;
      }
    }

    /** Files as given and the {@code *.yaml} files of directories, in name order. */
    static List<Path> manifests(List<Path> paths) {
      List<Path> out = new ArrayList<>();
      for (Path p : paths) {
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            s.filter(f -> f.getFileName().toString().endsWith(".yaml") && !f.getFileName().toString().startsWith("."))
                .sorted().forEach(out::add);
          } catch (IOException e) {
            throw new BadInput("cannot list " + p + ": " + e.getMessage());
          }
        } else if (Files.isRegularFile(p)) {
          out.add(p);
        } else {
          throw new BadInput("no such file or directory: " + p);
        }
      }
      if (out.isEmpty()) {
        throw new BadInput("no manifests (*.yaml) in " + paths);
      }
      return out;
    }
  }

  @Command(name = "lint", description = "Check manifests: schema, CEL, templates, routes, examples.")
  static final class Lint extends Base {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories of them.")
    List<Path> paths;

    @Override
    int run() {
      SkillLoader loader = SkillLoader.create(null);
      Map<String, Path> ids = new HashMap<>();
      int errors = 0;
      int warnings = 0;
      List<Path> files = manifests(paths);
      Map<String, Skill> loaded = new HashMap<>();
      List<ManifestProblem> problems = new ArrayList<>();
      for (Path file : files) {
        LoadResult r = loader.load(file);
        problems.addAll(r.problems());
        if (r.ok() && ids.putIfAbsent(r.skill().id(), file) != null) {
          problems.add(new ManifestProblem(r.skill().at(), "/skill", ManifestProblem.Severity.ERROR,
              "skill '" + r.skill().id() + "' is also defined in " + ids.get(r.skill().id()), "give each manifest its own skill id"));
        } else if (r.ok()) {
          loaded.put(r.skill().id(), r.skill());
        }
      }
      loaded.values().stream().sorted(java.util.Comparator.comparing(Skill::id))
          .forEach(skill -> problems.addAll(fallbackProblems(skill, loaded)));
      for (ManifestProblem p : problems) {
        out().println(p);
        if (p.isError()) {
          errors++;
        } else {
          warnings++;
        }
      }
      err().println(files.size() + " manifests, " + errors + " errors, " + warnings + " warnings");
      return errors > 0 ? FAILED : 0;
    }

    /** Warnings only: a fallback may live in another directory, or be added later. */
    private static List<ManifestProblem> fallbackProblems(Skill skill, Map<String, Skill> loaded) {
      List<ManifestProblem> out = new ArrayList<>();
      for (String id : skill.fallback()) {
        Skill other = loaded.get(id);
        if (other == null) {
          out.add(new ManifestProblem(skill.at(), "/fallback", ManifestProblem.Severity.WARNING,
              "fallback '" + id + "' is not among the manifests checked", "lint its manifest together with this one"));
        } else if (skill.operations().keySet().stream().noneMatch(other.operations()::containsKey)) {
          out.add(new ManifestProblem(skill.at(), "/fallback", ManifestProblem.Severity.WARNING,
              "fallback '" + id + "' has none of this skill's operations, so no task can move to it",
              "name a skill that serves the same operations"));
        }
      }
      return out;
    }
  }

  @Command(name = "test", description = "Run every examples: entry of the manifests.")
  static final class Test extends Base {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or directories of them.")
    List<Path> paths;

    @Override
    int run() {
      SkillLoader loader = SkillLoader.create(null).withoutExamples();
      int passed = 0;
      int failed = 0;
      List<Skill> loaded = new ArrayList<>();
      for (Path file : manifests(paths)) {
        LoadResult r = loader.load(file);
        if (!r.ok()) {
          r.errors().forEach(out()::println);
          failed++;
          continue;
        }
        loaded.add(r.skill());
        for (SkillExamples.Outcome o : SkillExamples.run(r.skill())) {
          if (o.passed()) {
            passed++;
            out().println("PASS " + o.example().at() + ": \"" + o.example().text() + "\" → " + o.got());
          } else {
            failed++;
            out().println("FAIL " + o.example().at() + ": \"" + o.example().text() + "\": " + o.failure()
                + " (hint: " + o.hint() + ")");
          }
        }
      }
      // across every skill given, as the host's router sees them (all ready): routes_to
      List<RoutingExamples.Outcome> routed = RoutingExamples.run(loaded, Router.DEFAULT_PREFERENCE);
      for (RoutingExamples.Outcome o : routed) {
        if (o.passed()) {
          passed++;
          out().println("PASS " + o.example().at() + ": \"" + o.example().text() + "\" ⇒ " + o.got());
        } else {
          failed++;
          out().println("FAIL " + o.example().at() + ": \"" + o.example().text() + "\": the router makes it "
              + o.got() + " " + o.params().encode() + ", expected " + o.example().routesTo()
              + (o.example().params().isEmpty() ? "" : " " + o.example().params().encode()) + " (" + o.why() + ")");
        }
      }
      // the report goes to stderr beside the totals: stdout stays one line per example
      err().println("Routing accuracy (examples that got what they expect):");
      RoutingExamples.report(loaded, routed).forEach(line -> err().println("  " + line));
      err().println(passed + " passed, " + failed + " failed");
      return failed > 0 ? FAILED : 0;
    }
  }

  @Command(name = "render", description = "Render one template of a skill, as a user would get it.")
  static final class Render extends Base {
    @Parameters(index = "0", paramLabel = "SKILL", description = "Skill id.")
    String skill;

    @Parameters(index = "1", paramLabel = "TEMPLATE", description = "Template name, e.g. submitted or result.video.")
    String template;

    @Option(names = "--locale", defaultValue = "en", description = "Locale asked for (default: ${DEFAULT-VALUE}); "
        + "falls back zh-TW → zh → the skill's first locale.")
    String locale;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "A template variable; repeat for more.")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--dir", defaultValue = "skills", description = "Directory of manifests (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    int run() {
      SkillLoader loader = SkillLoader.create(null).withoutExamples();
      List<String> found = new ArrayList<>();
      for (Path file : manifests(List.of(dir))) {
        LoadResult r = loader.load(file);
        Optional<Skill> s = Optional.ofNullable(r.skill());
        if (s.isPresent() && s.get().id().equals(skill)) {
          return render(s.get());
        }
        if (s.isEmpty() && file.getFileName().toString().equals(skill + ".yaml")) {
          r.errors().forEach(err()::println);
          return FAILED;
        }
        s.ifPresent(x -> found.add(x.id()));
      }
      throw new BadInput("no skill '" + skill + "' in " + dir + " (found: " + String.join(", ", found) + ")");
    }

    private int render(Skill s) {
      if (s.template(template).isEmpty()) {
        throw new BadInput("skill '" + skill + "' has no template '" + template + "' (it has: "
            + String.join(", ", s.templates().keySet().stream().sorted().toList()) + ")");
      }
      Localized.Rendered r = Messages.render(s, template, locale, new LinkedHashMap<>(vars)).orElseThrow();
      out().println(r.text());
      err().println("locale: " + r.locale() + (r.locale().equals(locale) ? "" : " (asked " + locale + ")"));
      return 0;
    }
  }
}
