-- wrk script: sustained heartbeats for the sessions listed in $SESSIONS_FILE
-- (one "session_token license_key" pair per line). Each wrk thread walks the list from its own
-- offset, so every session receives heartbeats and no two threads hammer the same row.
--
-- The requests are formatted once, in init(): wrk shares the machine's two cores with the server
-- and PostgreSQL, and building a request per call in Lua would cost it a noticeable share.
--
-- ENDPOINT=verify sends POST /api/license/verify for the same licenses instead, with the hardware
-- hash bench/start_sessions.py activated for line n ("bench-hw-<n-1>"): valid answers with an
-- offline token, the most expensive verify outcome. ENDPOINT=trivial sends GET
-- /api/version/latest (no database), so the framework's floor can be paced like a heartbeat.
--
-- RATE (requests/s over all threads, optional) paces the load instead of sending as fast as the
-- server answers: each thread sends on its own schedule (RATE / THREADS per second), so the
-- latency is measured at a given throughput rather than at saturation. wrk counts non-2xx answers
-- itself ("Non-2xx or 3xx responses").

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } licensor_timespec;
  int clock_gettime(int clock, licensor_timespec *ts);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("licensor_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local api_key = os.getenv("API_KEY")
local file = os.getenv("SESSIONS_FILE")
local rate = tonumber(os.getenv("RATE") or "")
local endpoint = os.getenv("ENDPOINT") or "heartbeat"
local requests = {}
local counter = 0
local thread_count = 0
local interval_ms = nil
local next_at = nil

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = api_key }
  local n = 0
  if endpoint == "trivial" then
    requests[1] = wrk.format("GET", "/api/version/latest", { ["X-API-Key"] = api_key })
    file = "/dev/null"
  end
  for line in io.lines(file) do
    local token, key = line:match("^(%S+)%s+(%S+)$")
    if token then
      if endpoint == "verify" then
        requests[#requests + 1] = wrk.format("POST", "/api/license/verify", headers,
          '{"license_key":"' .. key .. '","hardware_hash":"bench-hw-' .. n .. '"}')
      else
        requests[#requests + 1] = wrk.format("POST", "/api/license/session/heartbeat", headers,
          '{"session_token":"' .. token .. '","license_key":"' .. key .. '"}')
      end
    end
    n = n + 1
  end
  counter = (tonumber(id) or 0) * math.floor(#requests / 4)
  if rate and rate > 0 then
    local threads = tonumber(os.getenv("WRK_THREADS") or "2")
    interval_ms = 1000 * threads / rate
  end
end

function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

if rate and rate > 0 then
  -- Called before each request: wait for this thread's next slot. A thread that fell behind does
  -- not burst to catch up; the achieved rate is what wrk reports.
  function delay()
    local now = now_ms()
    if next_at == nil or next_at < now then
      next_at = now
    end
    local wait = next_at - now
    next_at = next_at + interval_ms
    return math.floor(wait)
  end
end
