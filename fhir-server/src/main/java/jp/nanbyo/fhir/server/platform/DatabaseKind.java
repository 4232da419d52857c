package jp.nanbyo.fhir.server.platform;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import java.util.Arrays;
import org.hibernate.dialect.Dialect;

/** The databases we run on, recognised by their JDBC URL, with what HAPI needs to know of each. */
enum DatabaseKind {
    H2("jdbc:h2:", DriverTypeEnum.H2_EMBEDDED, HapiFhirH2Dialect.class),
    POSTGRESQL("jdbc:postgresql:", DriverTypeEnum.POSTGRES_9_4, HapiFhirPostgresDialect.class);

    private final String urlPrefix;
    final DriverTypeEnum migratorDriver;
    final Class<? extends Dialect> dialect;

    DatabaseKind(String urlPrefix, DriverTypeEnum migratorDriver, Class<? extends Dialect> dialect) {
        this.urlPrefix = urlPrefix;
        this.migratorDriver = migratorDriver;
        this.dialect = dialect;
    }

    static DatabaseKind of(String jdbcUrl) {
        return Arrays.stream(values())
                .filter(kind -> jdbcUrl.startsWith(kind.urlPrefix))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("nanbyo.database.url must be a PostgreSQL URL"
                        + " (jdbc:postgresql://host:port/db) or empty for the embedded H2 database; got: "
                        + jdbcUrl.replaceAll("password=[^&;]*", "password=***")));
    }
}
