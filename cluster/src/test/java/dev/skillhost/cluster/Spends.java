package dev.skillhost.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.cluster.Workload.Submitted;
import dev.skillhost.simulators.SpendLedger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * "0 sent twice", from the backends' side. A spend ledger's {@code repeated()} catches a second
 * send under the same idempotency key or session; a node that re-sent a task it took over would
 * use a fresh key, so each spend is also traced back to its task by the prompt's marker (Lovart's
 * chats, LibTV's messages): every spend must carry one, and no marker may appear twice.
 */
final class Spends {

  private Spends() {}

  static void assertNothingTwice(Simulators sims, Collection<Submitted> tasks) {
    for (Map.Entry<String, SpendLedger> e : sims.ledgers().entrySet()) {
      long ofProvider = tasks.stream().filter(s -> s.kind().skill().equals(e.getKey())).count();
      assertThat(e.getValue().repeated()).as("%s: keys spent more than once", e.getKey()).isEmpty();
      assertThat(e.getValue().total()).as("%s: spends for %d tasks", e.getKey(), ofProvider).isLessThanOrEqualTo((int) ofProvider);
      System.out.printf("spends: %s %d spends for %d tasks, none repeated%n", e.getKey(), e.getValue().total(), ofProvider);
    }
    List<String> lovart = sims.lovart.chats().stream().map(b -> b.getString("prompt")).toList();
    List<String> libtv = sims.libtv.spends().spends().stream().map(SpendLedger.Spend::key).toList();
    assertOncePerMarker("lovart", lovart);
    assertOncePerMarker("libtv", libtv);
  }

  private static void assertOncePerMarker(String provider, List<String> texts) {
    assertThat(texts).as("%s: every spend names its task", provider).allMatch(t -> Workload.indexIn(t) >= 0);
    Map<Integer, Long> byTask = texts.stream().collect(Collectors.groupingBy(Workload::indexIn, TreeMap::new,
        Collectors.counting()));
    assertThat(byTask.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
        .as("%s: tasks sent more than once", provider).isEmpty();
  }
}
