package jp.nanbyo.fhir.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import org.junit.jupiter.api.Test;

class DatabaseKindTest {

    @Test
    void recognisesTheDatabasesWeSupportByTheirUrl() {
        assertThat(DatabaseKind.of("jdbc:h2:file:/srv/nanbyo/data/h2/nanbyo")).isEqualTo(DatabaseKind.H2);
        assertThat(DatabaseKind.of("jdbc:postgresql://db:5432/nanbyo")).isEqualTo(DatabaseKind.POSTGRESQL);
        assertThat(DatabaseKind.POSTGRESQL.migratorDriver).isEqualTo(DriverTypeEnum.POSTGRES_9_4);
    }

    @Test
    void refusesOtherDatabasesWithoutEchoingThePassword() {
        assertThatIllegalStateException()
                .isThrownBy(() -> DatabaseKind.of("jdbc:mysql://db/nanbyo?user=a&password=secret"))
                .withMessageContaining("nanbyo.database.url must be a PostgreSQL URL")
                .withMessageNotContaining("secret");
    }
}
