-- wrk script for bench/bench_sync_throughput.py: N workstations pushing to head office.
--
-- Run as `wrk -t N -c N` (one thread, one connection per workstation). Each thread
-- reads its own enrolled workstation (branch + token) from the file named by
-- FRONTDESK_WRK_TOKENS and sends batches of FRONTDESK_WRK_BATCH fresh payment records
-- (new UUIDs every time, so every record is really inserted, never a cheap duplicate).
-- FRONTDESK_WRK_EVERY_MS > 0 makes it an open model: each workstation waits about that
-- long (±20 %, first one at a random phase) before its next batch, as a counter's sync
-- agent does; 0 = back to back (a closed loop: the server's saturation).
-- done() prints one JSON line the Python side parses.

local tokens_file = os.getenv("FRONTDESK_WRK_TOKENS")
local batch = tonumber(os.getenv("FRONTDESK_WRK_BATCH") or "10")
local every_ms = tonumber(os.getenv("FRONTDESK_WRK_EVERY_MS") or "0")
local device_time = os.getenv("FRONTDESK_WRK_DEVICE_TIME")

local stations = {}
local next_station = 1
local threads = {}

function setup(thread)
  if #stations == 0 then
    for line in io.lines(tokens_file) do
      local branch, token = line:match("^(%S+)%s+(%S+)$")
      stations[#stations + 1] = { branch = branch, token = token }
    end
  end
  local s = stations[next_station]
  next_station = next_station + 1
  thread:set("branch", s.branch)
  thread:set("token", s.token)
  thread:set("seed", next_station * 7919)
  threads[#threads + 1] = thread
end

local hex = "0123456789abcdef"

local function uuid4()
  local out = {}
  for i = 1, 36 do
    if i == 9 or i == 14 or i == 19 or i == 24 then
      out[i] = "-"
    elseif i == 15 then
      out[i] = "4"
    elseif i == 20 then
      local n = math.random(8, 11)
      out[i] = hex:sub(n + 1, n + 1)
    else
      local n = math.random(0, 15)
      out[i] = hex:sub(n + 1, n + 1)
    end
  end
  return table.concat(out)
end

function init(args)
  math.randomseed(seed)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["X-Frontdesk-Protocol"] = "2"
  wrk.headers["X-Frontdesk-App"] = "bench"
  wrk.headers["X-Frontdesk-Schema"] = "0004"
  wrk.headers["X-Frontdesk-Device-Time"] = device_time
  failures = 0
end

function request()
  local records = {}
  for i = 1, batch do
    local id = uuid4()
    local amount = math.random(100, 50000)
    records[i] = string.format(
      '{"v":1,"type":"payment","id":"%s","branch":"%s","workstation":"W01","data":'
        .. '{"id":"%s","created_at":"%s","slip_id":"%s","line_no":1,"method":"cash",'
        .. '"amount_fen":%d,"tendered_fen":%d,"change_fen":0,"reference":null,'
        .. '"balance_number":null}}',
      id, branch, id, device_time, uuid4(), amount, amount)
  end
  local body = '{"batch_id":"' .. uuid4() .. '","records":[' .. table.concat(records, ",") .. "]}"
  return wrk.format(nil, "/v1/push", nil, body)
end

local started = false

function delay()
  if every_ms <= 0 then
    return 0
  end
  if not started then -- counters don't start in step: a random phase over one period
    started = true
    return math.floor(every_ms * math.random())
  end
  return math.floor(every_ms * (0.8 + 0.4 * math.random()))
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do
    failed = failed + (t:get("failures") or 0)
  end
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50_ms":%.1f,"p90_ms":%.1f,"p99_ms":%.1f,'
      .. '"max_ms":%.1f,"non_200":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    failed, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
