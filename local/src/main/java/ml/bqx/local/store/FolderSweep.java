package ml.bqx.local.store;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * After a folder's objects are deleted, removes what the store kept beside them (metas, lock files,
 * and the partial files of uploads that never finished, as a killed job leaves them) and the
 * folders left empty. GCS keeps none of these: an unfinished upload is no object, and a "folder" is
 * only a prefix. A file the store did not make, or an object written meanwhile, stays, and so does
 * its folder.
 */
final class FolderSweep {
  private final ObjectLocks locks;

  FolderSweep(ObjectLocks locks) {
    this.locks = locks;
  }

  void sweep(Path folder) throws IOException {
    try {
      Files.walkFileTree(
          folder,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              sweepFile(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure)
                throws IOException {
              if (failure instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // gone meanwhile
              }
              throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure)
                throws IOException {
              if (failure != null && !(failure instanceof NoSuchFileException)) {
                throw failure;
              }
              removeIfEmpty(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException gone) {
      // nothing was ever stored under it
    }
  }

  private void sweepFile(Path file) throws IOException {
    switch (ObjectPaths.besideKind(file)) {
      case LOCK -> locks.retire(file);
      case UPLOAD_PART -> Files.deleteIfExists(file);
      case META, PENDING_META -> {
        if (!Files.exists(ObjectPaths.contentOf(file))) {
          Files.deleteIfExists(file);
        }
      }
      case NONE -> {
        // an object, or a file the store did not make: not ours to remove
      }
    }
  }

  private static void removeIfEmpty(Path dir) throws IOException {
    try {
      Files.delete(dir);
    } catch (DirectoryNotEmptyException | NoSuchFileException kept) {
      // something is still there, or another sweep removed it
    }
  }
}
