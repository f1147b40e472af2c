package dev.twinflow.sinks;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The MySQL schema of the sink: Flyway migrations in {@code db/mysql}. */
final class MysqlSchema {

    private MysqlSchema() {}

    /** Creates or upgrades {@code mac_data}; a database that already holds the seed's table is migrated from V1. */
    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/mysql")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
