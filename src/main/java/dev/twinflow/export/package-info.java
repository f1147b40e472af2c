/** Export to HDFS (or Hadoop's local file system): machine data as it streams, the message log and data set on a schedule. */
package dev.twinflow.export;
