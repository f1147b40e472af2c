-- one POST /get_data/ per request (seed 004's latest-value lookup, answered from Redis)
wrk.method = "POST"
wrk.body = '{"id":"X_POS"}'
wrk.headers["Content-Type"] = "application/json"
