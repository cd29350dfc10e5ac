package dev.skillhost.local;

/**
 * Work ready to run, with the checkpoint its video's segments go to (null for work that makes no
 * video).
 */
record Planned(Work work, Checkpoint checkpoint) {

  /** Where the job's progress starts: above 0 when a cut-off run left frames to reuse. */
  double startFraction() {
    if (checkpoint == null || checkpoint.framesDone() == 0) return 0;
    double from = work.renderFrom();
    return from + (1 - from) * checkpoint.framesDone() / work.video().frames();
  }
}
