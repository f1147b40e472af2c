INSERT INTO mac_data (data_id, payload, time, device_id, value, value_text, ts)
VALUES (:#data_id, :#payload, :#time, :#device_id, :#value, :#value_text, :#ts)
ON DUPLICATE KEY UPDATE payload = VALUES(payload), value = VALUES(value), value_text = VALUES(value_text)
