-- Seed 004's table, for a database that does not have it yet (an existing one is kept as it is).
CREATE TABLE IF NOT EXISTS mac_data (
    data_id VARCHAR(255) NOT NULL,
    payload TEXT,
    time DATETIME
) DEFAULT CHARSET = utf8mb4;
