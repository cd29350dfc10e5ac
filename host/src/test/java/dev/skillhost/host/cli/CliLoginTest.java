package dev.skillhost.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code skillhost login}: the link first, then the wait until the host sees the user signed in. */
@ExtendWith(SharedHost.Extension.class)
class CliLoginTest {

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void login_prints_the_link_and_waits_until_the_sign_in_finishes() throws Exception {
    SharedHost h = SharedHost.get();
    var signer = Skillhost.start(h.root, "", Map.of("SKILLHOST_URL", h.url()), "login", "signer");
    var sim = Skillhost.start(h.root, "", Map.of("SKILLHOST_URL", h.url()), "login", "sim");

    Skillhost.Result r = signer.get();
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("https://signer.test/device?code=ABCD").contains("Waiting for the sign-in to finish")
        .endsWith("Signed in to signer as user-42.\n");
    r = sim.get();
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("skillhost: Provider 'sim' has no sign-in flow; it is configured with"
        + " credentials (see GET /v1/skills).");
  }
}
