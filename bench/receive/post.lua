-- one POST /receive per request, a typical sensor message (~90 bytes)
wrk.method = "POST"
wrk.body = '{"type":"sensor","sensor_type":"temperature","value":25.5,"unit":"°C","device":"dev-1"}'
wrk.headers["Content-Type"] = "application/json"
