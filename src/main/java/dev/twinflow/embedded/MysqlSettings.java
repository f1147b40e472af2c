package dev.twinflow.embedded;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * MySQL / MariaDB, under {@code twinflow.mysql.}: where the machine-data sink keeps table {@code mac_data}.
 *
 * @param url JDBC URL of the database, e.g. {@code jdbc:mariadb://mysql:3306/mqtt_data} (the MariaDB
 *     driver speaks to MySQL 8 too; {@code jdbc:mysql://} is accepted); unset starts a real MariaDB server
 *     (shipped in a Maven artifact) that keeps its files under {@code <data-dir>/mysql}; env {@code
 *     TWINFLOW_MYSQL_URL}
 * @param user user name for {@code url}; env {@code TWINFLOW_MYSQL_USER}
 * @param password password for {@code url}; env {@code TWINFLOW_MYSQL_PASSWORD}
 * @param embeddedPort port of the embedded server (0 = any free port); env {@code
 *     TWINFLOW_MYSQL_EMBEDDED_PORT}
 * @param database the embedded server's database, created when missing (the seed's {@code mqtt_data})
 */
@Validated
@ConfigurationProperties("twinflow.mysql")
public record MysqlSettings(
        String url,
        @DefaultValue("root") String user,
        String password,
        @Min(0) @Max(65535) @DefaultValue("3306") int embeddedPort,
        @NotBlank @DefaultValue("mqtt_data") String database) {

    public boolean embedded() {
        return url == null || url.isBlank();
    }
}
