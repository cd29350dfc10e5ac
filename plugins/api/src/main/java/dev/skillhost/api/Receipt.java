package dev.skillhost.api;

import io.vertx.core.json.JsonObject;

/**
 * What a channel's backend answered for a delivery.
 *
 * @param messageId the message it created (for people to find it), or null
 * @param details   anything else worth keeping with the delivery record
 */
public record Receipt(String messageId, JsonObject details) {

  public Receipt {
    details = details == null ? new JsonObject() : details.copy();
  }
}
