package dev.twinflow.export;

import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where exports are written, under {@code twinflow.hdfs.}.
 *
 * @param uri the file system: unset writes through Hadoop's local file system under {@code
 *     <data-dir>/hdfs}; {@code hdfs://namenode:8020} writes to that cluster
 * @param root folder that holds every export ({@code /twinflow/machine_data/...}, {@code
 *     /twinflow/exports/...})
 * @param user the HDFS user to write as (unset: the process's user, or {@code HADOOP_USER_NAME})
 */
@Validated
@ConfigurationProperties("twinflow.hdfs")
public record HdfsProperties(URI uri, @NotBlank @DefaultValue("/twinflow") String root, String user) {}
