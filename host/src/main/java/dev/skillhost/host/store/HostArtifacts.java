package dev.skillhost.host.store;

import dev.skillhost.api.Artifacts;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * The {@link Artifacts} a provider gets: the {@link FileStore} without owners. Whoever runs the
 * provider grants what it stored to the task's owner.
 */
public final class HostArtifacts implements Artifacts {

  private final FileStore store;

  public HostArtifacts(FileStore store) {
    this.store = store;
  }

  @Override
  public Future<Path> path(String fileId) {
    return store.info(fileId).compose(info -> info.isPresent()
        ? Future.succeededFuture(store.path(fileId))
        : Future.failedFuture(new NoSuchElementException("no artifact with id '" + fileId + "' in the host's store")));
  }

  @Override
  public Future<StoredFile> store(Path file, String mimeHint) {
    return store.put(file, mimeHint).map(HostArtifacts::stored);
  }

  @Override
  public Future<StoredFile> store(Buffer bytes, String mimeHint) {
    return store.put(bytes, mimeHint).map(HostArtifacts::stored);
  }

  @Override
  public Path scratch(String suffix) {
    return store.scratch(suffix);
  }

  private static StoredFile stored(FileInfo info) {
    return new StoredFile(info.id(), info.mime(), info.size());
  }
}
