package dev.skillhost.host.skills;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One skill manifest, loaded, checked and immutable: what users may ask a provider for, how a
 * request is routed, what they are told in their language, and what each backend error means.
 *
 * @param id          skill id (the manifest's {@code skill:}), unique among loaded skills
 * @param version     the manifest's own version
 * @param provider    the provider plugin id it binds to
 * @param description one line for people
 * @param locales     locales every template is written in, the first being the fallback of last resort
 * @param requires    what the provider needs before it can serve (credentials, login)
 * @param operations  exposed operations by name
 * @param routes      request → operation rules, tried in order
 * @param unsupported capability boundaries: requests answered with a message instead of a task
 * @param templates   user-facing messages by name ({@code submitted}, {@code result.video}, …)
 * @param errors      error map, tried in order
 * @param outputs     URL prefixes an output may come from (empty: any)
 * @param examples    requests with the routing they must get; the manifest's own tests
 * @param fallback    skill ids to move a task to, in order, when this skill's backend refuses it
 *                    before anything was spent (the host config's {@code skills.fallback} may
 *                    replace the list); only a skill with the same operation and fitting inputs is taken
 * @param at          where the manifest's {@code skill:} key stands
 */
public record Skill(
    String id,
    String version,
    String provider,
    String description,
    List<String> locales,
    Requirements requires,
    Map<String, SkillOperation> operations,
    List<Route> routes,
    List<Unsupported> unsupported,
    Map<String, Localized> templates,
    List<ErrorRule> errors,
    List<String> outputs,
    List<Rewrite> rewrites,
    List<Example> examples,
    List<String> fallback,
    Position at) {

  /** A skill without fallbacks. */
  public Skill(String id, String version, String provider, String description, List<String> locales,
      Requirements requires, Map<String, SkillOperation> operations, List<Route> routes, List<Unsupported> unsupported,
      Map<String, Localized> templates, List<ErrorRule> errors, List<String> outputs, List<Rewrite> rewrites,
      List<Example> examples, Position at) {
    this(id, version, provider, description, locales, requires, operations, routes, unsupported, templates, errors,
        outputs, rewrites, examples, List.of(), at);
  }

  public Skill {
    locales = List.copyOf(locales);
    operations = Map.copyOf(operations);
    routes = List.copyOf(routes);
    unsupported = List.copyOf(unsupported);
    templates = Map.copyOf(templates);
    errors = List.copyOf(errors);
    outputs = List.copyOf(outputs);
    rewrites = List.copyOf(rewrites);
    examples = List.copyOf(examples);
    fallback = List.copyOf(fallback);
  }

  public Optional<SkillOperation> operation(String name) {
    return Optional.ofNullable(operations.get(name));
  }

  public Optional<Localized> template(String name) {
    return Optional.ofNullable(templates.get(name));
  }

  /**
   * What a provider needs before it can serve.
   *
   * @param secrets secret names that must all be set (config secrets or environment), e.g. {@code LOVART_ACCESS_KEY}
   * @param login   true when the provider signs in by a device-style login flow instead
   */
  public record Requirements(List<String> secrets, boolean login) {
    public static final Requirements NONE = new Requirements(List.of(), false);

    public Requirements {
      secrets = List.copyOf(secrets);
    }
  }
}
