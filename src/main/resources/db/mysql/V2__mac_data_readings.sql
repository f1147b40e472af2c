-- Every reading once: its device, its numeric or text value and its own time (ms), with one unique key
-- on (device_id, data_id, ts), so a replayed batch is an upsert of the same rows. Rows written by the
-- seed get device_id '' and ts from their time; seed rows sharing a data_id and second are spread over
-- that second's milliseconds in their stored order, so the unique key holds for them too.
ALTER TABLE mac_data
    MODIFY data_id VARCHAR(255) NOT NULL,
    ADD COLUMN device_id VARCHAR(191) NOT NULL DEFAULT '',
    ADD COLUMN value DOUBLE NULL,
    ADD COLUMN value_text VARCHAR(1024) NULL,
    ADD COLUMN ts BIGINT NULL;

SET @n := -1, @k := NULL;
UPDATE mac_data
SET ts = CAST(UNIX_TIMESTAMP(COALESCE(time, '1970-01-01 00:00:01')) AS SIGNED) * 1000
        + (@n := IF(@k <=> CAST(CONCAT(data_id, '|', COALESCE(time, '')) AS BINARY), @n + 1, 0))
        + 0 * LENGTH(@k := CAST(CONCAT(data_id, '|', COALESCE(time, '')) AS BINARY)),
    value = IF(TRIM(payload) REGEXP '^[-+]?[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?$', CAST(TRIM(payload) AS DOUBLE), NULL),
    value_text = IF(TRIM(payload) REGEXP '^[-+]?[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?$', NULL, LEFT(payload, 1024))
WHERE ts IS NULL
ORDER BY data_id, time;

ALTER TABLE mac_data
    MODIFY ts BIGINT NOT NULL,
    ADD UNIQUE KEY mac_data_reading (device_id, data_id, ts),
    ADD KEY mac_data_data_ts (data_id, ts),
    ADD KEY mac_data_ts (ts);
