package dev.skillhost.host.cluster;

import java.security.SecureRandom;

/**
 * This host as one node of the store: an id of its own per process ({@code n_} and 10 base-32
 * characters), never reused by another process, so what a dead or restarted host held is plainly
 * orphaned once its lease lapses.
 */
public final class Node {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private Node() {}

  public static String newId() {
    char[] id = new char[12];
    id[0] = 'n';
    id[1] = '_';
    long r = RANDOM.nextLong();
    for (int i = 2; i < id.length; i++) {
      id[i] = ALPHABET[(int) (r & 31)];
      r >>>= 5;
    }
    return new String(id);
  }
}
