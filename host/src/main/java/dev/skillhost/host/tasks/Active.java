package dev.skillhost.host.tasks;

import dev.skillhost.host.store.Task;

/** The engine's working state for one unfinished task. Touched on the engine's context only. */
final class Active {

  Task task;
  /** Bumped on every (re)schedule: scheduler entries of an older generation are stale. */
  long generation;
  /** Consecutive transient faults of the current step. */
  int failures;
  long deadlineTimer = -1;
  /** A cancel that arrived while submit was in flight: carried out once the provider answers. */
  boolean cancelRequested;
  /**
   * The skill's condition did not ask for confirmation this time: submit without asking. A given
   * confirmation is not kept here but stored with the task ({@code Task.confirmation}), so it outlives a restart.
   */
  boolean confirmed;
  String lastMessage;
  /** The queue key this task holds or waits for ({@code provider:key}), else null. */
  String lane;
  /** A provider stream is following this task: no polls until it ends. */
  boolean streaming;
  /** Let out of a rate-limit line: its next call goes ahead of the line (once). */
  boolean released;
  /** Its place in a rate-limit line (0: not in one), kept if it has to wait again. */
  long lineSeq;
  /** The provider said the next look will have the answer: it goes first in a rate-limit line. */
  boolean urgent;
  /** Output URLs already refused (outside the skill's allowlist): said once, not at every look. */
  final java.util.Set<String> refused = new java.util.HashSet<>();

  /** Skills that refused this task before any spend, so a fallback never goes back to them (this run only). */
  final java.util.Set<String> tried = new java.util.HashSet<>();

  /** The provider said the task succeeded and its outputs are being kept: no more looks. */
  boolean finishing;

  Active(Task task) {
    this.task = task;
  }
}
