package dev.skillhost.host.tasks;

import dev.skillhost.api.ProviderException;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.ProviderCircuit;
import dev.skillhost.host.skills.ErrorMap;
import dev.skillhost.host.skills.ErrorRule.ErrorKind;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a task to the next skill that can serve its operation when its backend refused it before
 * anything was spent. Part of {@link TaskRunner}; runs on the engine's context.
 *
 * <p>The rule for "nothing was spent" is declared, never guessed from a status code: the provider
 * threw {@link ProviderException#rejected} (it did not send the submit, or the backend's answer
 * certainly created no task; the host's own open circuit refuses this way too), or the skill's
 * error rule that matched says {@code spent: false}. A submit that timed out, got a 5xx or lost its
 * answer is never moved: it may have been charged, and it is reconciled instead.
 *
 * <p>Moving only helps when the backend, not the request, is the problem: kinds auth, quota,
 * rate_limited, busy, upstream and unsupported move; invalid_input, timeout and unknown do not.
 */
final class Fallback {

  private static final Logger LOG = LoggerFactory.getLogger(Fallback.class);
  private static final Set<ErrorKind> MOVABLE = EnumSet.of(ErrorKind.AUTH, ErrorKind.QUOTA, ErrorKind.RATE_LIMITED,
      ErrorKind.BUSY, ErrorKind.UPSTREAM, ErrorKind.UNSUPPORTED);

  private final TaskRunner r;
  private final SkillLookup skills;
  private final Map<String, List<String>> configured;

  /**
   * @param configured per skill id, the host config's fallback list, which replaces the manifest's
   */
  Fallback(TaskRunner r, SkillLookup skills, Map<String, List<String>> configured) {
    this.r = r;
    this.skills = skills;
    this.configured = Map.copyOf(configured);
  }

  /** Whether {@code cause}, a submit's failure under {@code skill}, proves nothing was spent. */
  static boolean nothingSpent(Throwable cause, Skill skill) {
    if (!(cause instanceof ProviderException pe)) {
      return false;
    }
    return pe.rejected() || ErrorMap.classify(skill, pe).rule().map(rule -> rule.provesNothingSpent()).orElse(false);
  }

  /** Whether {@code cause} proves nothing was spent and is about the backend, so another skill may serve. */
  static boolean movable(Throwable cause, Skill skill) {
    if (!nothingSpent(cause, skill)) {
      return false;
    }
    ProviderException pe = (ProviderException) cause;
    return ProviderCircuit.OPEN_CODE.equals(pe.code()) || MOVABLE.contains(ErrorMap.classify(skill, pe).kind());
  }

  /**
   * Moves the task to its next fallback skill if {@code cause} allows it and one can serve;
   * answers whether it moved. A moved task is queued on the new skill, whose own confirmation
   * rule applies afresh (a spend confirmed for one backend is not confirmed for another).
   */
  boolean tryMove(Active a, Throwable cause) {
    Skill from = r.log.messages().skillOf(a.task);
    if (from == null || !movable(cause, from)) {
      return false;
    }
    a.tried.add(from.id());
    Optional<Candidate> next = next(a, from);
    if (next.isEmpty()) {
      return false;
    }
    Candidate to = next.get();
    JsonObject error = Errors.of(cause, from, a.task.locale());
    LOG.info("task {}: {} refused it before any spend ({}); moving it to {}", a.task.id(), from.id(),
        error.getString("kind"), to.skill().id());
    r.leaveLane(a);
    a.failures = 0;
    a.confirmed = false;
    a.cancelRequested = false;
    r.record(a, TaskState.QUEUED, a.task.movedTo(to.skill().provider(), to.skill().id(), to.params()),
            List.of(new Draft(TaskEvent.STATE, event(a.task.state().wire(), from, to.skill(), error))))
        .onSuccess(v -> r.later(a, 0));
    return true;
  }

  /** The state event of a move: {@code {from, fallback: {from, to, from_provider, to_provider, kind, code, reason}}}. */
  static JsonObject event(String fromState, Skill from, Skill to, JsonObject error) {
    JsonObject moved = new JsonObject().put("from", from.id()).put("to", to.id())
        .put("from_provider", from.provider()).put("to_provider", to.provider())
        .put("kind", error.getString("kind")).put("reason", error.getString("message", ""));
    if (error.getValue("code") != null) {
      moved.put("code", error.getValue("code"));
    }
    return new JsonObject().put("from", fromState).put("fallback", moved);
  }

  private record Candidate(Skill skill, JsonObject params) {}

  private Optional<Candidate> next(Active a, Skill from) {
    for (String id : configured.getOrDefault(from.id(), from.fallback())) {
      if (a.tried.contains(id)) {
        continue;
      }
      Optional<Candidate> c = skills.byId(id).flatMap(s -> serves(a, s));
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  /**
   * The skill as a fallback for this task, or empty: it has the task's operation, takes every input
   * role the task has and has every role it requires, its provider is loaded with that operation and
   * its circuit is not open, its required secrets are set (unless it signs in), and the carried
   * parameters fit its limits.
   */
  private Optional<Candidate> serves(Active a, Skill skill) {
    SkillOperation op = skill.operation(a.task.operation()).orElse(null);
    Optional<LiveProvider> live = r.plugins.provider(skill.provider());
    if (op == null || live.isEmpty() || live.get().info().operation(op.name()).isEmpty()
        || live.get().circuit().state() == ProviderCircuit.State.OPEN) {
      return Optional.empty();
    }
    Set<String> roles = new HashSet<>();
    for (int i = 0; i < a.task.inputs().size(); i++) {
      roles.add(a.task.inputs().getJsonObject(i).getString("role"));
    }
    boolean inputsFit = op.inputs().keySet().containsAll(roles)
        && op.inputs().entrySet().stream().noneMatch(e -> e.getValue() && !roles.contains(e.getKey()));
    boolean secretsSet = skill.requires().login()
        || skill.requires().secrets().stream().allMatch(name -> live.get().context().secret(name).isPresent());
    if (!inputsFit || !secretsSet) {
      return Optional.empty();
    }
    try {
      SkillOperation was = r.log.messages().skillOf(a.task).operation(a.task.operation()).orElse(null);
      return Optional.of(new Candidate(skill, Params.resolve(op, null, carried(a.task.params(), was, op))));
    } catch (TaskRejected e) {
      LOG.debug("task {}: {} cannot take its parameters: {}", a.task.id(), skill.id(), e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * What the task's parameters say that the fallback operation understands: the prompt, and every
   * parameter it has a default or a limit for, unless the value is only the first skill's default
   * ({@code was}): the fallback's own defaults apply then. Other parameters (the first backend's
   * own settings) mean nothing to another backend and are left behind; a value the user chose that
   * the fallback's limits refuse makes it unfit.
   */
  static JsonObject carried(JsonObject params, SkillOperation was, SkillOperation op) {
    JsonObject out = new JsonObject();
    params.forEach(e -> {
      String key = e.getKey();
      boolean understood = key.equals("prompt") || op.defaults().containsKey(key) || op.limits().containsKey(key);
      boolean onlyDefault = was != null && was.defaults().containsKey(key)
          && java.util.Objects.equals(was.defaults().getValue(key), e.getValue());
      if (understood && !onlyDefault) {
        out.put(key, e.getValue());
      }
    });
    return out;
  }
}
