package dev.skillhost.nemovideo;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Small owner-only files in the provider's data directory, which several hosts of a cluster share.
 * A reader never sees one half written: the content goes to a temporary file first, then into
 * place in one step — a hard link for a file made once (the first host's wins, the others read
 * it), an atomic rename for one that is replaced (the token).
 */
final class DataFiles {

  private static final String OWNER_ONLY = "rw-------";

  private final FileSystem fs;
  private final Path dir;

  DataFiles(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /** The file's content, or null when there is none. */
  Future<String> read(String name) {
    String path = dir.resolve(name).toString();
    return fs.exists(path).compose(exists -> exists
        ? fs.readFile(path).map(b -> b.toString().trim())
        : Future.succeededFuture((String) null));
  }

  /** The file's content if it exists, else {@code content} made its content; every caller gets the same. */
  Future<String> once(String name, String content) {
    return read(name).compose(existing -> existing != null && !existing.isEmpty()
        ? Future.succeededFuture(existing)
        : temp(content).compose(tmp -> fs.link(dir.resolve(name).toString(), tmp)
            .map(content)
            .recover(taken -> read(name).compose(other -> other != null && !other.isEmpty()
                ? Future.succeededFuture(other) : Future.failedFuture(taken)))
            .eventually(() -> fs.delete(tmp).recover(e -> Future.succeededFuture()))));
  }

  /** Replaces the file's content whole. */
  Future<String> replace(String name, String content) {
    return temp(content).compose(tmp -> fs.move(tmp, dir.resolve(name).toString(),
            new CopyOptions().setReplaceExisting(true).setAtomicMove(true))
        .recover(e -> fs.delete(tmp).transform(ignored -> Future.failedFuture(e))))
        .map(content);
  }

  /** Removes the file; one already gone is fine. */
  Future<Void> delete(String name) {
    return fs.delete(dir.resolve(name).toString()).recover(e -> Future.succeededFuture());
  }

  private Future<String> temp(String content) {
    String tmp = dir.resolve("." + UUID.randomUUID() + ".tmp").toString();
    return fs.mkdirs(dir.toString())
        .compose(v -> fs.open(tmp, new OpenOptions().setWrite(true).setCreateNew(true).setPerms(OWNER_ONLY)))
        .compose(file -> file.write(Buffer.buffer(content)).compose(v -> file.flush()).eventually(file::close))
        .map(tmp);
  }
}
