package dev.skillhost.simulators.chatart;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ChatArt's device sign-in as the official {@code auth.py} sees it: a device code per init, the
 * user's decision (approve by opening the link, or a test's deny/expire), and one delivery of the
 * key on approval. A pending code answers 202 (any status but 200/403/404/410 keeps the client polling).
 */
final class SimLogin {

  enum State { PENDING, APPROVED, DENIED, EXPIRED, DELIVERED }

  static final class Device {
    final String code;
    final String clientId;
    final Instant expires;
    volatile State state = State.PENDING;
    volatile SimAccount account;

    Device(String code, String clientId, Instant expires) {
      this.code = code;
      this.clientId = clientId;
      this.expires = expires;
    }
  }

  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  volatile Device last;

  Device init(String clientId, long expiresInS) {
    Device d = new Device("dev_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), clientId,
        Instant.now().plusSeconds(expiresInS));
    devices.put(d.code, d);
    last = d;
    return d;
  }

  Device get(String code) {
    return code == null ? null : devices.get(code);
  }

  /** The token endpoint's view of a device: expiry wins over pending. */
  State look(Device d) {
    if (d.state == State.PENDING && Instant.now().isAfter(d.expires)) {
      d.state = State.EXPIRED;
    }
    return d.state;
  }
}
