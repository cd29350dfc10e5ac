package dev.skillhost.lovart;

import dev.skillhost.api.RateBucket;
import dev.skillhost.api.RateBucket.Call;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Lovart's documented limits as the host's token buckets: chat ({@code /chat}, {@code /chat/confirm})
 * 60 a minute and 600 an hour; queries (status, result, projects, mode, upload) 300 a minute and
 * 3000 an hour. Each window is its own bucket over the same calls. A poll makes exactly one query
 * (see {@link LovartPoller}), so one token per poll is exact. An account with other limits sets the
 * system property {@value #PROPERTY} to {@code chatMin,chatHour,queryMin,queryHour}.
 */
final class LovartLimits {

  static final String PROPERTY = "skillhost.lovart.limits";
  private static final Set<Call> CHAT = Set.of(Call.SUBMIT);
  private static final Set<Call> QUERY = Set.of(Call.POLL, Call.ACCOUNT, Call.CANCEL);

  private LovartLimits() {}

  static List<RateBucket> buckets(String override) {
    long[] l = {60, 600, 300, 3000};
    if (override != null && !override.isBlank()) {
      String[] parts = override.split(",");
      for (int i = 0; i < Math.min(parts.length, l.length); i++) {
        l[i] = Long.parseLong(parts[i].strip());
      }
    }
    return List.of(
        new RateBucket("lovart-chat-minute", l[0], Duration.ofMinutes(1), CHAT),
        new RateBucket("lovart-chat-hour", l[1], Duration.ofHours(1), CHAT),
        new RateBucket("lovart-query-minute", l[2], Duration.ofMinutes(1), QUERY),
        new RateBucket("lovart-query-hour", l[3], Duration.ofHours(1), QUERY));
  }
}
