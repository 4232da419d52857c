package jp.nanbyo.fhir.server.directory;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.Set;
import javax.sql.DataSource;
import jp.nanbyo.fhir.server.platform.TransactionScoped;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A counter of the directory's changes, kept in the database. Every transaction that creates, updates or deletes
 * an Organization, OrganizationAffiliation, Location or Endpoint adds one to it as its last statement, so the new
 * value commits together with the change. A node that reads the counter and finds the value it last saw knows that
 * what it holds in memory from those types is still what the database holds, whichever node wrote last. Within a
 * transaction that is changing the directory, the counter does not say so yet: {@link #changingInThisTransaction()}
 * does, from the moment the first such write is about to be stored.
 */
public class DirectoryGeneration {

    private static final String TABLE = "NANBYO_DIRECTORY_GENERATION";
    private static final Set<String> TYPES = Set.of("Organization", "OrganizationAffiliation", "Location", "Endpoint");

    private final JdbcTemplate jdbc;
    /**
     * Present once the current transaction has a directory change to count; counted just before it commits: taking the
     * row's lock last keeps the time two directory writers wait on each other short, and never makes one wait while
     * holding locks the other needs.
     */
    private final TransactionScoped<Boolean> countedAtCommit = TransactionScoped.of(() -> Boolean.TRUE, counted -> increment());

    DirectoryGeneration(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (ID INTEGER PRIMARY KEY, GENERATION BIGINT NOT NULL)");
        try {
            jdbc.update("INSERT INTO " + TABLE + " (ID, GENERATION) SELECT 1, 0 WHERE NOT EXISTS (SELECT ID FROM " + TABLE + " WHERE ID = 1)");
        } catch (DuplicateKeyException anotherNodeStartingAtTheSameTime) {
            // The row is there: that is all this wanted.
        }
    }

    public long current() {
        return jdbc.queryForObject("SELECT GENERATION FROM " + TABLE + " WHERE ID = 1", Long.class);
    }

    /** Whether the current transaction writes (or is about to write) a directory resource: memory may be stale in it. */
    public boolean changingInThisTransaction() {
        return countedAtCommit.current().isPresent();
    }

    /**
     * Counted already before storage: within a FHIR transaction HAPI holds the pre-commit hooks back until every entry
     * is written, and a later entry (a Task for a partner whose Endpoint an earlier entry deletes) must see
     * {@link #changingInThisTransaction()}. The pre-commit hooks below still count too: once per transaction either
     * way, and no write HAPI commits goes uncounted should one reach storage without its pre-storage hook.
     */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource oldResource, IBaseResource newResource) {
        changed(newResource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        changed(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource newResource) {
        changed(newResource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        changed(resource);
    }

    /** {@code $expunge} of everything empties the directory without a hook per resource. */
    @Hook(Pointcut.STORAGE_PRESTORAGE_EXPUNGE_EVERYTHING)
    public void expungingEverything() {
        countAtCommit();
    }

    private void changed(IBaseResource resource) {
        if (TYPES.contains(resource.fhirType())) {
            countAtCommit();
        }
    }

    /** Once per transaction, just before it commits (at once outside one). */
    private void countAtCommit() {
        if (TransactionScoped.inTransaction()) {
            countedAtCommit.currentOrNew();
        } else {
            increment();
        }
    }

    private void increment() {
        jdbc.update("UPDATE " + TABLE + " SET GENERATION = GENERATION + 1 WHERE ID = 1");
    }
}
