package dev.skillhost.host.skills;

import dev.skillhost.api.ProviderInfo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads one skill manifest, following vertx-openapi's pipeline with positions kept: read (at most
 * {@value #MAX_BYTES} bytes), compose the YAML node tree (aliases and nesting limited), convert to
 * JSON keeping a JSON pointer → line:column map, validate against {@code skill.schema.json}, then
 * check meaning: conditions compile (CEL), templates compile and name only known variables in
 * every declared locale, routes point at declared operations, the provider offers them (a provider
 * not loaded is a warning), and every {@code examples:} entry routes as it expects.
 *
 * <p>Every problem is collected, each at its {@code file:line:column}; the result is a value, never
 * an exception. A loader is immutable and may be shared between threads.
 */
public final class SkillLoader {

  /** Largest manifest accepted: 1 MB. */
  public static final long MAX_BYTES = 1024 * 1024;

  private final ConditionCompiler conditions;
  private final TemplateCompiler templates;
  private final Function<String, Optional<ProviderInfo>> providers;
  private final SchemaCheck schema;
  private final boolean runExamples;

  private SkillLoader(ConditionCompiler conditions, TemplateCompiler templates,
      Function<String, Optional<ProviderInfo>> providers, SchemaCheck schema, boolean runExamples) {
    this.conditions = conditions;
    this.templates = templates;
    this.providers = providers == null ? id -> Optional.empty() : providers;
    this.schema = schema;
    this.runExamples = runExamples;
  }

  /**
   * A loader with CEL conditions and Mustache templates.
   *
   * @param providers the loaded provider with an id, if any; null when none are known (every
   *                  manifest then gets a "provider not loaded" warning)
   */
  public static SkillLoader create(Function<String, Optional<ProviderInfo>> providers) {
    return new SkillLoader(new CelConditionCompiler(), new MustacheTemplateCompiler(), providers, SchemaCheck.load(), true);
  }

  /** The same loader, but leaving {@code examples:} unrun (for {@code skills test}, which reports each). */
  public SkillLoader withoutExamples() {
    return new SkillLoader(conditions, templates, providers, schema, false);
  }

  /** Loads a manifest file; its problems are reported against {@code file} as given. */
  public LoadResult load(Path file) {
    Problems problems = new Problems(new Positions(file.toString(), ""));
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        problems.add(new Position(file.toString(), 1, 1), "", ManifestProblem.Severity.ERROR,
            "file is " + size + " bytes; a manifest may have at most " + MAX_BYTES, "split it, or remove what is not used");
        return new LoadResult(null, problems.sorted());
      }
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      return load(file.toString(), text);
    } catch (CharacterCodingException e) {
      problems.add(new Position(file.toString(), 1, 1), "", ManifestProblem.Severity.ERROR, "not UTF-8 text", "save the file as UTF-8");
    } catch (IOException e) {
      problems.add(new Position(file.toString(), 1, 1), "", ManifestProblem.Severity.ERROR, "cannot read: " + e.getMessage(), null);
    }
    return new LoadResult(null, problems.sorted());
  }

  /** Loads manifest text; {@code file} names it in positions. */
  public LoadResult load(String file, String text) {
    Problems problems = new Problems(new Positions(file, text));
    if (text.length() > MAX_BYTES) {
      problems.add(new Position(file, 1, 1), "", ManifestProblem.Severity.ERROR,
          "text is " + text.length() + " characters; a manifest may have at most " + MAX_BYTES, null);
      return new LoadResult(null, problems.sorted());
    }
    JsonObject doc = YamlTree.read(text, problems);
    if (doc == null) {
      return new LoadResult(null, problems.sorted());
    }
    schema.check(doc, problems);
    Skill skill = new SkillReader(doc, problems, conditions, templates).read();
    checkProvider(skill, problems);
    if (runExamples && !problems.hasErrorsUnder("/routes", "/unsupported", "/examples", "/operations")) {
      for (SkillExamples.Outcome o : SkillExamples.run(skill)) {
        if (!o.passed()) {
          problems.add(o.example().at(), "/examples", ManifestProblem.Severity.ERROR, o.failure(), o.hint());
        }
      }
    }
    return new LoadResult(problems.hasErrors() ? null : skill, problems.sorted());
  }

  private void checkProvider(Skill skill, Problems problems) {
    if (skill.provider().isEmpty()) {
      return;
    }
    Optional<ProviderInfo> info = providers.apply(skill.provider());
    if (info.isEmpty()) {
      problems.warning("/provider", "provider '" + skill.provider() + "' is not loaded",
          "its operations are checked once its plugin is loaded");
      return;
    }
    List<String> offered = info.get().operations().stream().map(o -> o.name()).toList();
    for (String op : skill.operations().keySet()) {
      if (!offered.contains(op)) {
        problems.errorAtKey(Positions.child("/operations", op), "provider '" + skill.provider() + "' has no operation '" + op + "'",
            "it offers: " + String.join(", ", offered));
      }
    }
  }
}
