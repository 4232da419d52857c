package jp.nanbyo.fhir.routes.designation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A way in takes a list only when it can file it afterwards: its folder can be written (the watched folder moves the
 * list out of it; a remote source keeps its state there) and so can {@code done/} and {@code error/} where they exist
 * (else they are created when first needed). Otherwise the list waits, unread (the watched folder's file stays where
 * it is; a remote source fetches nothing), and is taken at the first poll after the folders are put right.
 *
 * <p>Without this check a list was imported first: applied, then its report could not be written in {@code done/},
 * and it was filed in {@code error/} as {@code failed} although the directory had changed; or, with nowhere to file
 * it, it was read and imported again at every poll, with stack traces each time. The problem is logged once (an
 * ERROR), and once more when it is put right (INFO), not at every poll.
 */
final class FilingFolders {

    private static final Logger log = LoggerFactory.getLogger(FilingFolders.class);

    private final Path folder;
    private final String waiting;
    /** The problem last logged, or null while lists can be filed. */
    private final AtomicReference<String> logged = new AtomicReference<>();

    /** @param waiting what waits while lists cannot be filed, for the log ("Designation lists in … are left unread") */
    FilingFolders(Path folder, String waiting) {
        this.folder = folder.toAbsolutePath();
        this.waiting = waiting;
    }

    /** Whether a list can be taken now; logs the problem when it starts and when it ends. */
    boolean canFile() {
        String problem = problem(folder);
        String before = logged.getAndSet(problem);
        if (problem == null) {
            if (before != null) {
                log.info("Designation lists can be filed in {} again: they are taken as they come", folder);
            }
            return true;
        }
        if (!problem.equals(before)) {
            log.error("{} until this is put right: {}", waiting, problem);
        }
        return false;
    }

    /** For a file consumer: a file is listed only while lists can be filed. */
    <T> GenericFileFilter<T> asFileFilter() {
        return file -> canFile();
    }

    /** What keeps lists from being filed in this folder, or null; the folder is created if missing. */
    static String problem(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return folder + " cannot be created (" + e.getClass().getSimpleName() + ")";
        }
        if (!Files.isWritable(folder)) {
            return folder + " cannot be written";
        }
        for (String outcome : List.of("done", "error")) {
            Path directory = folder.resolve(outcome);
            if (Files.exists(directory) && !Files.isDirectory(directory)) {
                return directory + " is a file, not a folder";
            }
            if (Files.isDirectory(directory) && !Files.isWritable(directory)) {
                return directory + " cannot be written";
            }
        }
        return null;
    }
}
