package dev.skillhost.simulators.libtv;

/**
 * How a simulated generation ends. The result shapes are LibTV's (nexu tests, libtv-skills
 * download_results.py); failure shapes are not documented upstream, so the simulator uses the
 * three a client can meet in the message model: a failed {@code task_result}, a message of
 * {@code type: "error"}, and the agent saying in words that generation failed.
 */
public enum LibTvOutcome {
  /** A task_result with a video, then the assistant quoting its URL. */
  VIDEO,
  /** A task_result with an image, then the assistant quoting its URL. */
  IMAGE,
  /** Only the assistant's text carries the result URL (no tool message). */
  VIDEO_TEXT_ONLY,
  /** A task_result whose status is failed, with the reason. */
  FAILED_RESULT,
  /** A message of type error. */
  ERROR_MESSAGE,
  /** The assistant says, in Chinese, that generation failed. */
  FAILED_TEXT,
  /** A task_result pointing at a proxy host that is not a final result URL (medeo-res). */
  OUTSIDE_URL,
  /** Progress words only, never a result: the task waits until it is finished by a test. */
  NEVER
}
