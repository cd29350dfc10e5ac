package dev.skillhost.host.store;

import java.util.List;

/**
 * One page of a task listing, newest first.
 *
 * @param tasks the page
 * @param next  cursor for the next page, or null at the end
 */
public record TaskPage(List<Task> tasks, String next) {}
