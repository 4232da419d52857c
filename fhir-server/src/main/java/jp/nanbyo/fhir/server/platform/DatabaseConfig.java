package jp.nanbyo.fhir.server.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import jp.nanbyo.fhir.server.NanbyoProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The connection pool and the schema: the embedded H2 file by default, PostgreSQL when a URL is configured. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

    @Bean
    DatabaseKind databaseKind(NanbyoProperties properties) {
        return DatabaseKind.of(jdbcUrl(properties));
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(NanbyoProperties properties, DatabaseKind kind) {
        NanbyoProperties.Database database = properties.database();
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("nanbyo-db");
        pool.setJdbcUrl(jdbcUrl(properties));
        if (!database.username().isBlank()) {
            pool.setUsername(database.username());
        }
        if (!database.password().isBlank()) {
            pool.setPassword(database.password());
        }
        pool.setMaximumPoolSize(database.maximumPoolSize());
        keepRowsOutOfErrors(pool, kind);
        insertBatchesAsOneStatement(pool, kind);
        return new HikariDataSource(pool);
    }

    /**
     * PostgreSQL's driver puts a failed batch statement with its values, and the server's detail naming the key that
     * clashed, into the exception's message, which Hibernate logs as an ERROR: on two concurrent writes of one resource
     * that was the whole resource (a referral's Task, a patient) in the log. The driver leaves both out when told to. A
     * {@code logServerErrorDetail} in the configured URL still decides (the driver reads the URL after these properties).
     */
    static void keepRowsOutOfErrors(HikariConfig pool, DatabaseKind kind) {
        if (kind == DatabaseKind.POSTGRESQL) {
            pool.addDataSourceProperty("logServerErrorDetail", "false");
        }
    }

    /**
     * Hibernate sends its inserts in batches (20 rows of one table), which PostgreSQL's driver would still execute one
     * statement per row; told to, it sends each batch as one multi-row {@code INSERT}. A resource writes a row in each
     * of several index tables, so a transaction of a designation list sends hundreds of inserts. A
     * {@code reWriteBatchedInserts} in the configured URL still decides.
     */
    static void insertBatchesAsOneStatement(HikariConfig pool, DatabaseKind kind) {
        if (kind == DatabaseKind.POSTGRESQL) {
            pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
    }

    /** Runs before the entity manager factory, which takes it as a parameter. */
    @Bean
    SchemaMigration schemaMigration(DataSource dataSource, DatabaseKind kind) {
        SchemaMigration migration = new SchemaMigration(dataSource, kind);
        migration.migrate();
        return migration;
    }

    private static String jdbcUrl(NanbyoProperties properties) {
        if (!properties.database().isEmbedded()) {
            return properties.database().url().trim();
        }
        // One file database in the data folder, created on first start. Closed by the connection pool when the
        // application stops, not by H2's own shutdown hook, which would close it under the routes still stopping.
        String file = properties.dataDir().resolve("h2").resolve("nanbyo").toAbsolutePath().toString();
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE";
    }
}
