package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the PostgreSQL driver is told to work, on a real PostgreSQL: batched inserts, and what a failed write says about its rows. */
class DatabaseConfigIT {

    private static final String PATIENT_DATA = "難病 太郎 1960-01-01";

    static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void aFailedBatchNamesNeitherTheValuesItWroteNorTheKeyThatClashed() throws Exception {
        List<String> messages = messagesOfAClashingBatch(true);

        assertThat(messages).as("the exception and its causes").isNotEmpty()
                .allSatisfy(message -> assertThat(message).doesNotContain(PATIENT_DATA).doesNotContain("PT-0001"));
        assertThat(String.join("\n", messages)).as("still says what failed").contains("duplicate key");
    }

    @Test
    void theDriverAloneWouldNameThem() throws Exception {
        // Why the setting: without it the same failure carries the row into the message Hibernate logs.
        assertThat(String.join("\n", messagesOfAClashingBatch(false))).contains(PATIENT_DATA).contains("PT-0001");
    }

    /** A batch of inserts goes as one multi-row statement, and its rows arrive all the same. */
    @Test
    void aBatchOfInsertsIsSentAsOneStatement() throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        DatabaseConfig.insertBatchesAsOneStatement(pool, DatabaseKind.of(pool.getJdbcUrl()));
        try (HikariDataSource dataSource = new HikariDataSource(pool); Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("CREATE TABLE batched (ID INTEGER PRIMARY KEY)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batched (ID) VALUES (?)")) {
                for (int i = 1; i <= 20; i++) {
                    insert.setInt(1, i);
                    insert.addBatch();
                }
                // The driver answers "success, count unknown" for each row of a rewritten batch (1 each otherwise).
                assertThat(insert.executeBatch()).hasSize(20).containsOnly(Statement.SUCCESS_NO_INFO);
            }
            try (ResultSet count = connection.createStatement().executeQuery("SELECT COUNT(*), SUM(ID) FROM batched")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getInt(1)).isEqualTo(20);
                assertThat(count.getInt(2)).isEqualTo(210);
            }
        }
    }

    /** Two rows with one key in one batch, as Hibernate writes two versions of one resource: the messages thrown. */
    private static List<String> messagesOfAClashingBatch(boolean configured) throws SQLException {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        if (configured) {
            DatabaseConfig.keepRowsOutOfErrors(pool, DatabaseKind.of(pool.getJdbcUrl()));
            DatabaseConfig.insertBatchesAsOneStatement(pool, DatabaseKind.of(pool.getJdbcUrl()));
        }
        String table = "clash_" + (configured ? "configured" : "plain");
        try (HikariDataSource dataSource = new HikariDataSource(pool); Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("CREATE TABLE " + table + " (ID VARCHAR(20) PRIMARY KEY, TEXT VARCHAR(200))");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (ID, TEXT) VALUES (?, ?)")) {
                for (int i = 0; i < 2; i++) {
                    insert.setString(1, "PT-0001");
                    insert.setString(2, PATIENT_DATA);
                    insert.addBatch();
                }
                BatchUpdateException failed = catchThrowableOfType(insert::executeBatch, BatchUpdateException.class);
                assertThat((Throwable) failed).as("the batch fails on its duplicate key").isNotNull();
                List<String> messages = new ArrayList<>();
                for (SQLException e = failed; e != null; e = e.getNextException()) {
                    messages.add(e.getMessage());
                    messages.add(String.valueOf(e.getCause()));
                }
                connection.rollback();
                return messages;
            }
        }
    }
}
