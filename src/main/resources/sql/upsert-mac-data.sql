INSERT INTO mac_data (data_id, payload, time, device_id, value, value_text, ts)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON DUPLICATE KEY UPDATE payload = VALUES(payload), value = VALUES(value), value_text = VALUES(value_text)
