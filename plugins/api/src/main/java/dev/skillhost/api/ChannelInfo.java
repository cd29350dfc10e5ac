package dev.skillhost.api;

/**
 * A chat channel's identity.
 *
 * @param id          what tasks name it by, e.g. {@code feishu}
 * @param name        for people
 * @param description what it delivers to
 */
public record ChannelInfo(String id, String name, String description) {}
