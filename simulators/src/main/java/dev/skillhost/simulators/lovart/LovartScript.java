package dev.skillhost.simulators.lovart;

import java.util.List;

/**
 * How the simulated agent answers one chat message: how long it works, which artifacts it makes
 * (they appear one by one over the run, as Lovart's generators finish), whether it stops first in
 * {@code pending_confirmation} with a cost, and whether it aborts or finishes with text only.
 *
 * @param runMs        generation time after the message (after confirmation, if one is asked)
 * @param artifacts    artifact types in order, e.g. {@code image}, {@code video}; empty = text only
 * @param confirmCost  when not null, the thread stops after a third of {@code runMs} in
 *                     {@code pending_confirmation} with this {@code estimated_cost}, and spends it on confirm
 * @param chatCost     credits the message itself spends (0 for confirm-gated work)
 * @param text         the agent's reply text
 * @param abort        the run ends in {@code abort} halfway through
 * @param falseDoneMs  the thread briefly reads {@code done} for this long at a quarter of the run,
 *                     before its sub-agent starts (the race the official client re-checks for)
 */
public record LovartScript(long runMs, List<String> artifacts, Double confirmCost, double chatCost, String text,
    boolean abort, long falseDoneMs) {

  public LovartScript {
    artifacts = List.copyOf(artifacts);
  }

  /** One image after {@code runMs}. */
  public static LovartScript image(long runMs) {
    return new LovartScript(runMs, List.of("image"), null, 2, "Here is your image.", false, 0);
  }

  public LovartScript withArtifacts(String... types) {
    return new LovartScript(runMs, List.of(types), confirmCost, chatCost, text, abort, falseDoneMs);
  }

  public LovartScript withConfirm(double cost) {
    return new LovartScript(runMs, artifacts, cost, 0, text, abort, falseDoneMs);
  }

  public LovartScript withText(String reply) {
    return new LovartScript(runMs, artifacts, confirmCost, chatCost, reply, abort, falseDoneMs);
  }

  public LovartScript aborting() {
    return new LovartScript(runMs, artifacts, confirmCost, chatCost, text, true, falseDoneMs);
  }

  public LovartScript withFalseDone(long ms) {
    return new LovartScript(runMs, artifacts, confirmCost, chatCost, text, abort, ms);
  }

  public LovartScript withRunMs(long ms) {
    return new LovartScript(ms, artifacts, confirmCost, chatCost, text, abort, falseDoneMs);
  }
}
