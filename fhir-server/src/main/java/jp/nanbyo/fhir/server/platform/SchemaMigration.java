package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.jpa.migrate.HapiMigrator;
import ca.uhn.fhir.jpa.migrate.MigrationResult;
import ca.uhn.fhir.jpa.migrate.MigrationTaskList;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades the database schema with HAPI's own migrator, the tool HAPI supports for
 * production upgrades (Hibernate never changes the schema: {@code hbm2ddl.auto=none}).
 * Several nodes starting at once are safe: the migrator takes a lock in its own table.
 */
public class SchemaMigration {

    /** HAPI's migration bookkeeping table (the name its CLI uses too). */
    public static final String MIGRATION_TABLE = "FLY_HFJ_MIGRATION";

    private static final Logger log = LoggerFactory.getLogger(SchemaMigration.class);

    private final DataSource dataSource;
    private final DatabaseKind kind;

    SchemaMigration(DataSource dataSource, DatabaseKind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    /** Every task HAPI knows, up to this HAPI version; the last one's version is what a current schema has. */
    public static MigrationTaskList allTasks() {
        return new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values());
    }

    /** Brings the schema up to date and answers what was done (nothing, on a current schema). */
    public MigrationResult migrate() {
        HapiMigrator migrator = new HapiMigrator(MIGRATION_TABLE, dataSource, kind.migratorDriver);
        migrator.createMigrationTableIfRequired();
        migrator.addTasks(allTasks());
        long start = System.nanoTime();
        MigrationResult result = migrator.migrate();
        log.info("Schema migration on {}: {} tasks succeeded, {} statements executed, {} failed, {} ms",
                kind, result.succeededTasks.size(), result.executedStatements.size(), result.failedTasks.size(),
                (System.nanoTime() - start) / 1_000_000);
        if (!result.failedTasks.isEmpty()) {
            throw new IllegalStateException("Schema migration failed: " + result.summary());
        }
        return result;
    }
}
