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
 *     <data-dir>/hdfs}; {@code hdfs://namenode:8020} writes to that cluster over RPC, {@code
 *     webhdfs://namenode:9870} over the name node's HTTP port (WebHDFS; seed 004's {@code
 *     http://namenode:9870/webhdfs/v1} means the same)
 * @param root folder that holds every export ({@code /twinflow/machine_data/...}, {@code
 *     /twinflow/exports/...})
 * @param user the HDFS user to write as, WebHDFS's {@code user.name} (unset: the process's user, or
 *     {@code HADOOP_USER_NAME})
 */
@Validated
@ConfigurationProperties("twinflow.hdfs")
public record HdfsProperties(URI uri, @NotBlank @DefaultValue("/twinflow") String root, String user) {}
