package dev.skillhost.host.skills;

/**
 * A capability boundary: a request this skill does not serve, answered with a message.
 *
 * @param when    the condition
 * @param message what the user is told
 * @param at      where the rule stands
 */
public record Unsupported(Condition when, Localized message, Position at) {}
