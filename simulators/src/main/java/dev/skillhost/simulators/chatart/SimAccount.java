package dev.skillhost.simulators.chatart;

/**
 * One ChatArt account: the identity sent as {@code Identity-Id}, its API key, and credits ("diamonds").
 */
public final class SimAccount {

  public final String identityId;
  public final String memberId;
  public final String apiKey;
  public final String email;
  volatile double credits;
  volatile boolean revoked;

  SimAccount(String identityId, String memberId, String apiKey, String email, double credits) {
    this.identityId = identityId;
    this.memberId = memberId;
    this.apiKey = apiKey;
    this.email = email;
    this.credits = credits;
  }

  public synchronized double credits() {
    return credits;
  }

  public synchronized void credits(double value) {
    credits = value;
  }

  synchronized boolean charge(double cost) {
    if (credits < cost) {
      return false;
    }
    credits -= cost;
    return true;
  }

  synchronized void refund(double cost) {
    credits += cost;
  }

  public boolean revoked() {
    return revoked;
  }
}
